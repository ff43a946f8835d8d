import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../app/config';
import { nodeCatalogue } from '../../processors/pipelines/catalogue';
import { processorNodeTypes } from '../../processors/pipelines/processorNodes';
import { checkDefinition, definitionFromText, InvalidPipelineError } from '../../processors/pipelines/definitionCheck';
import { MAX_RETRY_WAIT_MS, retryWaits } from '../../processors/pipelines/retryPolicy';
import { pipelineJsonSchema } from '../../schemas/pipelines';

const tools = { ffmpeg: 'ffmpeg', ffprobe: 'ffprobe', temporaryDirectory: tmpdir() };
const catalogue = nodeCatalogue(processorNodeTypes({ ...loadConfig({}, {}).processors, ...tools }), { eventBridge: {}, video: tools });
const press = () => definitionFromText(readFileSync(join(import.meta.dirname, '../fixtures/pipelines/press.yaml'), 'utf8')) as Record<string, any>;

/** The problems a definition is refused with, or [] when it is accepted. */
function problems(definition: unknown): string[] {
  try {
    checkDefinition(definition, catalogue);
    return [];
  } catch (error) {
    if (!(error instanceof InvalidPipelineError)) throw error;
    return error.problems;
  }
}

describe('a pipeline definition is checked before it is deployed', () => {
  it('accepts the press pipeline, with the defaults of its nodes filled in', () => {
    const definition = checkDefinition(press(), catalogue);
    expect(definition.nodes[1]).toMatchObject({ type: 'rendition', parameters: { name: 'press', size: 2048, format: 'jpeg', quality: 82 }, retry: { attempts: 2 }, timeoutMs: 60_000 });
    expect(definition.nodes[0]!.retry).toEqual({ attempts: 3, backoffMs: 500 });
  });

  it('refuses an unknown node, naming its place and the catalogue', () => {
    const definition = press();
    definition.nodes[0].type = 'stamp';
    expect(problems(definition)).toEqual([expect.stringMatching(/^nodes\[0\]\.type: unknown node "stamp" \(the catalogue has rendition, watermark, http,/)]);
  });

  it('refuses a missing parameter and a wrong one, naming each', () => {
    const definition = press();
    delete definition.nodes[1].parameters.size;
    definition.nodes[0].parameters.opacity = 3;
    expect(problems(definition)).toEqual([
      expect.stringMatching(/^nodes\[0\]\.parameters\.opacity: .*1/),
      expect.stringMatching(/^nodes\[1\]\.parameters\.size: /),
    ]);
  });

  it('refuses a cycle, naming the nodes on it', () => {
    const definition = press();
    definition.edges.push({ from: 'variant', to: 'logo' });
    expect(problems(definition)).toEqual(['edges: a cycle through "logo", "variant": a pipeline runs each node once']);
  });

  it('refuses a trigger filter on an unknown field', () => {
    const definition = press();
    definition.trigger.filter.colour = 'red';
    expect(problems(definition)).toEqual([expect.stringMatching(/^trigger\.filter: Unrecognized key: "colour"/)]);
  });

  it('refuses edges to no node, conditions on outputs a node does not have, and a node whose input nothing gives', () => {
    const definition = press();
    definition.trigger.filter.mediaType = ['image', 'video'];
    definition.edges = [{ from: 'logo', to: 'variant', when: { path: 'nodes.logo.width', greaterThan: 10 } }, { from: 'variant', to: 'nowhere' }];
    expect(problems(definition)).toEqual([
      'edges[1].to: there is no node "nowhere"',
      'nodes[0] ("logo"): watermark needs an image: limit trigger.filter.mediaType to ["image"] or put a node that makes one before it',
      'edges[0].when.path: node "logo" (watermark) has no output "width" (it has none)',
    ]);
  });

  it('refuses metadata filters on the ingest trigger, and text that is neither YAML nor JSON', () => {
    const definition = press();
    definition.trigger.filter.metadata = [{ path: 'metadata.make', equals: 'Canon' }];
    expect(problems(definition)).toEqual(['trigger.filter.metadata: metadata is known only once extracted: set trigger.event to "metadata"']);
    expect(() => definitionFromText('name: [press')).toThrow(/neither YAML nor JSON/);
    expect(() => definitionFromText('name: a\nversion: 1\n---\nname: b\n')).toThrow(/: it holds more than one YAML document \(a line of --- starts another\): one definition a file$/);
  });

  it('refuses a condition on metadata behind the ingest trigger, and a trigger on the end of a default pipeline', () => {
    const definition = press();
    definition.edges[0].when = { path: 'metadata.width', greaterThan: 10 };
    expect(problems(definition)).toEqual(['edges[0].when.path: metadata is known only once extracted: set trigger.event to "metadata"']);
    definition.trigger.event = 'metadata';
    expect(problems(definition)).toEqual([]);
    const afterDefault = { ...press(), trigger: { on: 'pipeline', pipeline: 'default-images', status: 'completed' } };
    expect(problems(afterDefault)).toEqual([expect.stringMatching(/^trigger\.pipeline: default-images runs as processors and records no executions/)]);
  });

  it('exports the definition as JSON Schema, which accepts the press pipeline and refuses an unknown trigger field', () => {
    const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(pipelineJsonSchema());
    expect(validate(press())).toBe(true);
    const definition = press();
    definition.trigger.filter.colour = 'red';
    expect(validate(definition)).toBe(false);
  });

  it("refuses retries that would hold the runner past the bound, and cuts an older definition's waits to it", () => {
    const definition = press();
    definition.nodes[1].retry = { attempts: 3, backoffMs: 20_000 };
    definition.nodes[0].timeoutMs = 3_600_000;
    expect(problems(definition)).toEqual([
      expect.stringMatching(/^nodes\[0\]\.timeoutMs: 3 tries of up to 3600000 ms each may hold the pipeline runner/),
      expect.stringMatching(/^nodes\[1\]\.retry: its waits add up to 60000 ms .*at most 30000 ms, as a node's retries hold the pipeline runner/),
    ]);
    definition.nodes[1].retry = { attempts: 3, backoffMs: 10_000 };
    definition.nodes[0].timeoutMs = 60_000;
    expect(problems(definition)).toEqual([]);
    const waits = retryWaits({ attempts: 10, backoffMs: 600_000 });
    expect([waits.length, waits.reduce((sum, wait) => sum + wait, 0)]).toEqual([9, MAX_RETRY_WAIT_MS]);
    expect(retryWaits({ attempts: 3, backoffMs: 500 })).toEqual([500, 1000]);
  });

  it('refuses a pipeline named as a word of the API’s /pipelines paths, which could be deployed and never read', () => {
    for (const name of ['executions', 'catalogue', 'schema', 'check']) {
      expect(problems({ ...press(), name })).toEqual([`name: "${name}" is a word of the API's paths (/pipelines/${name}): name the pipeline otherwise`]);
    }
    expect(problems({ ...press(), name: 'executions-nightly' })).toEqual([]);
  });

  it("refuses a rendition named as one the lake makes itself, and a size filter no asset passes", () => {
    const definition = press();
    definition.nodes[1].parameters.name = 'proxy';
    definition.trigger.filter.minSize = 2000;
    definition.trigger.filter.maxSize = 1000;
    expect(problems(definition)).toEqual([
      expect.stringMatching(/^nodes\[1\]\.parameters\.name: "proxy" is a rendition the lake makes itself/),
      'trigger.filter.minSize: 2000 is above maxSize 1000: no asset would pass',
    ]);
    const video = { name: 'video', version: 1, trigger: { on: 'asset', filter: { mediaType: ['video'] } }, nodes: [{ id: 'cover', type: 'video-poster', parameters: { name: 'poster' } }, { id: 'strip', type: 'video-scrub' }] };
    expect(problems(video)).toEqual([expect.stringMatching(/^nodes\[0\]\.parameters\.name: "poster" is a rendition the lake makes itself/)]);
  });
});
