import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { definitionOf, graphOf, layered, placeOf } from '../../web/src/pipelines/graph';
import type { PipelineDefinition } from '../../schemas/pipelines';

const PRESS = parse(readFileSync(join(import.meta.dirname, '../fixtures/pipelines/press.yaml'), 'utf8')) as PipelineDefinition;

/** The canvas's pure parts: the layout of an opened pipeline, the definition it writes, and where a problem goes. */
describe('the pipeline canvas graph', () => {
  it('lays nodes out left to right, each one column after its furthest predecessor, one row per node in a column', () => {
    const edges = [
      { from: 'decode', to: 'thumb' },
      { from: 'decode', to: 'mark' },
      { from: 'mark', to: 'proxy' },
      { from: 'thumb', to: 'proxy' },
    ];
    const positions = layered(['decode', 'thumb', 'mark', 'proxy', 'alone'], edges);
    expect(Object.fromEntries(positions)).toEqual({
      decode: { x: 0, y: 0 },
      thumb: { x: 260, y: 0 },
      mark: { x: 260, y: 150 },
      proxy: { x: 520, y: 0 },
      alone: { x: 0, y: 150 },
    });
  });

  it('ends even on a cycle (which the check refuses)', () => {
    expect(layered(['a', 'b'], [{ from: 'a', to: 'b' }, { from: 'b', to: 'a' }]).size).toBe(2);
  });

  it('writes back the definition it opened, field for field', () => {
    const { nodes, edges } = graphOf(PRESS);
    const header = { name: PRESS.name, version: PRESS.version, description: PRESS.description ?? '', trigger: PRESS.trigger, emits: [{ node: 'variant', output: 'objectKey' }] };
    expect(definitionOf(header, nodes, edges)).toEqual(PRESS);
  });

  it('leaves out what the user did not fill in', () => {
    const node = { id: 'step-1', type: 'step' as const, position: { x: 0, y: 0 }, data: { id: 'hash', type: 'perceptual-hash', parameters: {}, policy: {} } };
    expect(definitionOf({ name: ' quick ', version: undefined, description: '', trigger: { on: 'manual' }, emits: [] }, [node], [])).toEqual({
      name: 'quick',
      trigger: { on: 'manual' },
      nodes: [{ id: 'hash', type: 'perceptual-hash', parameters: {} }],
      edges: [],
    });
  });

  it('finds the node a problem names', () => {
    expect(placeOf('nodes[1].parameters.size: Too small: expected number to be >=16')).toEqual({ place: 'nodes[1].parameters.size', message: 'Too small: expected number to be >=16', node: 1 });
    expect(placeOf('trigger.filter: Unrecognized key: "colour"')).toEqual({ place: 'trigger.filter', message: 'Unrecognized key: "colour"', node: undefined });
  });
});
