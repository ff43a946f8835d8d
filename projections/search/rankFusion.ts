/** The k of reciprocal rank fusion: 60, as in Cormack et al. (2009) and OpenSearch's default. */
export const RRF_K = 60;

/**
 * Reciprocal rank fusion: each ranking gives an id 1 / (k + rank), rank from 1;
 * the fused ranking orders by the sum. It needs no score calibration between
 * rankers (bm25 and cosine similarity are not comparable), and an id ranked
 * well by both beats one ranked first by only one. Ties go by id.
 */
export function reciprocalRankFusion(rankings: string[][], k = RRF_K): { id: string; score: number }[] {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, index) => scores.set(id, (scores.get(id) ?? 0) + 1 / (k + index + 1)));
  }
  return [...scores]
    .map(([id, score]) => ({ id, score }))
    .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
