import { describe, expect, it } from 'vitest';
import { RRF_K, reciprocalRankFusion } from '../../projections/search/rankFusion';

describe('reciprocal rank fusion', () => {
  it('scores each id by the sum of 1 / (k + rank) over the rankings it is in', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['c', 'a', 'd'],
    ]);
    expect(fused.map((f) => f.id)).toEqual(['a', 'c', 'b', 'd']);
    expect(fused[0]!.score).toBeCloseTo(1 / (RRF_K + 1) + 1 / (RRF_K + 2), 12);
    expect(fused[1]!.score).toBeCloseTo(1 / (RRF_K + 3) + 1 / (RRF_K + 1), 12);
    expect(fused[2]!.score).toBeCloseTo(1 / (RRF_K + 2), 12);
    expect(fused[3]!.score).toBeCloseTo(1 / (RRF_K + 3), 12);
  });

  it('puts an id ranked well by both above one ranked first by only one', () => {
    const keyword = ['only-words', 'both', 'x1', 'x2', 'x3'];
    const semantic = ['only-looks', 'y1', 'both', 'y2', 'y3'];
    expect(reciprocalRankFusion([keyword, semantic])[0]!.id).toBe('both');
  });

  it('breaks ties by id, so the same rankings always fuse the same way', () => {
    expect(reciprocalRankFusion([['b', 'a'], ['a', 'b']]).map((f) => f.id)).toEqual(['a', 'b']);
    expect(reciprocalRankFusion([['z'], ['y']]).map((f) => f.id)).toEqual(['y', 'z']);
  });

  it('returns one ranking unchanged, and nothing for nothing', () => {
    expect(reciprocalRankFusion([['c', 'a', 'b']]).map((f) => f.id)).toEqual(['c', 'a', 'b']);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
  });
});
