import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../app/config';
import { temporaryDirectory } from '../support/fixtures';

const directories: { remove(): void }[] = [];
afterEach(() => directories.splice(0).forEach((directory) => directory.remove()));

/** A config file holding `text`, as `--config FILE` hands it over. */
function configFile(text: string): { MEDIALAKE_CONFIG: string } {
  const directory = temporaryDirectory('medialake-config-');
  directories.push(directory);
  const path = join(directory.path, 'medialake.config.json');
  writeFileSync(path, text);
  return { MEDIALAKE_CONFIG: path };
}

const fileSettings = (settings: unknown) => configFile(JSON.stringify(settings));

describe('a config file is read strictly', () => {
  it('refuses a misspelt setting, naming its path and the file', () => {
    const environment = fileSettings({ processors: { concurency: 8 } });
    expect(() => loadConfig({}, environment)).toThrow(ConfigError);
    expect(() => loadConfig({}, environment)).toThrow(/^unknown setting processors\.concurency in .*medialake\.config\.json$/);
  });

  it('refuses a misspelt section, even one whose settings are right', () => {
    expect(() => loadConfig({}, fileSettings({ procesors: { concurrency: 8 } }))).toThrow(/^unknown setting procesors in /);
  });

  it('refuses a misspelt key in a list of sources', () => {
    const environment = fileSettings({ sources: { s3: [{ bucket: 'camera-uploads', sufixes: ['.jpg'] }] } });
    expect(() => loadConfig({}, environment)).toThrow(/^unknown setting sources\.s3\.0\.sufixes in /);
  });

  it('reports a misspelt key before the error it causes', () => {
    const environment = fileSettings({ storage: { backend: 's3', s3: { buket: 'camera-lake' } } });
    expect(() => loadConfig({}, environment)).toThrow(/^unknown setting storage\.s3\.buket in /);
  });

  it.each(['null', '[1,2]', '"hello"', '8080'])('refuses a file holding %s rather than settings', (text) => {
    expect(() => loadConfig({}, configFile(text))).toThrow(/^config file .*medialake\.config\.json holds .*, not an object of settings$/);
  });

  it('still takes the settings it knows', () => {
    expect(loadConfig({}, fileSettings({ processors: { concurrency: 8 } })).processors.concurrency).toBe(8);
  });
});

describe('numeric settings take numbers only', () => {
  it.each([[null], [''], [' '], [[]], [true], ['abc']])('refuses %j for api.port from the file, naming the value', (port) => {
    const environment = fileSettings({ api: { port } });
    expect(() => loadConfig({}, environment)).toThrow(ConfigError);
    expect(() => loadConfig({}, environment)).toThrow(
      `invalid configuration at api.port: expected a number, received ${JSON.stringify(port)} (in ${environment.MEDIALAKE_CONFIG})`,
    );
  });

  it('does not let null turn the background chain check off', () => {
    expect(() => loadConfig({}, fileSettings({ chain: { verifyIntervalMinutes: null } }))).toThrow(/chain\.verifyIntervalMinutes: expected a number, received null/);
  });

  it('refuses an interval longer than a timer can wait, which would fire at once, over and over', () => {
    expect(() => loadConfig({}, { MEDIALAKE_VERIFY_INTERVAL_MINUTES: '43200' })).toThrow(/chain\.verifyIntervalMinutes: at most 35791 minutes/);
    expect(loadConfig({}, { MEDIALAKE_VERIFY_INTERVAL_MINUTES: '35791' }).chain.verifyIntervalMinutes).toBe(35791);
    expect(() => loadConfig({}, { MEDIALAKE_CLOUDWATCH_INTERVAL_SECONDS: '3000000' })).toThrow(/telemetry\.cloudwatchIntervalSeconds: at most 2147483 seconds/);
  });

  it('names the variable, not the file, where a variable set the value over the file; and neither for a flag', () => {
    const environment = { ...fileSettings({ api: { port: 8080 } }), MEDIALAKE_PORT: 'x' };
    expect(() => loadConfig({}, environment)).toThrow(/^invalid configuration at api\.port: expected a number, received "x" \(from MEDIALAKE_PORT=x\)$/);
    expect(() => loadConfig({ 'api.port': 'y' }, environment)).toThrow(/^invalid configuration at api\.port: expected a number, received "y"$/);
  });

  it('refuses a blank MEDIALAKE_PORT rather than listening on a random port', () => {
    expect(() => loadConfig({}, { MEDIALAKE_PORT: ' ' })).toThrow(/api\.port: expected a number, received " "/);
  });

  it('takes numbers and text that reads as one, spaces around it too', () => {
    expect(loadConfig({}, { MEDIALAKE_PORT: ' 9090 ' }).api.port).toBe(9090);
    expect(loadConfig({}, fileSettings({ api: { port: 9091 } })).api.port).toBe(9091);
    expect(loadConfig({}, { MEDIALAKE_VERIFY_INTERVAL_MINUTES: '0' }).chain.verifyIntervalMinutes).toBe(0);
  });

  it('leaves an optional number absent when it is not set', () => {
    expect(loadConfig({}, {}).log.kafka.replicationFactor).toBeUndefined();
  });
});

describe('a config file and the environment together', () => {
  it('refuses a plain value where the environment sets a setting under it, naming the path and the file', () => {
    const environment = { ...fileSettings({ log: 'sqlite' }), MEDIALAKE_LOG_BACKEND: 'sqlite' };
    expect(() => loadConfig({}, environment)).toThrow(ConfigError);
    expect(() => loadConfig({}, environment)).toThrow(/^log in .*medialake\.config\.json is "sqlite", not an object of settings$/);
  });

  it('names the variable and its value when the value came from the environment', () => {
    expect(() => loadConfig({}, { MEDIALAKE_PORT: 'abc' })).toThrow(/api\.port: expected a number, received "abc" \(from MEDIALAKE_PORT=abc\)$/);
    expect(() => loadConfig({}, { MEDIALAKE_S3_SOURCES: 'camera-uploads' })).toThrow(/\(from MEDIALAKE_S3_SOURCES=camera-uploads\)$/);
    const misspelt = '[{"bucket":"camera-uploads","sufixes":[".jpg"]}]';
    expect(() => loadConfig({}, { MEDIALAKE_S3_SOURCES: misspelt })).toThrow(`unknown setting sources.s3.0.sufixes (from MEDIALAKE_S3_SOURCES=${misspelt})`);
  });

  it('does not blame a variable that a flag overrode', () => {
    expect(() => loadConfig({ 'api.port': 'abc' }, { MEDIALAKE_PORT: '9090' })).toThrow(/api\.port: expected a number, received "abc"$/);
  });
});

describe('a watermark image', () => {
  it('is refused at start when there is no file there, rather than failing every image as unreadable', () => {
    expect(() => loadConfig({}, { MEDIALAKE_WATERMARK_IMAGE: '/no/such/logo.png' })).toThrow(
      /^invalid configuration at processors\.watermark\.image: there is no file there \(from MEDIALAKE_WATERMARK_IMAGE=\/no\/such\/logo\.png\)$/,
    );
  });
});
