import { describe, expect, it } from 'vitest';
import { firstPage, withPage } from '../../web/src/views/searchPages';

const hits = (...ids: string[]) => ids.map((assetId) => ({ assetId }));

describe("the search view's pages", () => {
  it('shows once a hit that an asset arriving between two pages pushed from the end of one to the top of the next', () => {
    const first = firstPage(hits('a', 'b', 'c'));
    // "new" ranks first now: the page at offset 3 begins with c, which the first page ended with.
    const second = withPage(first, first.next, hits('c', 'd', 'e'));
    expect(second.hits.map((hit) => hit.assetId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(second.next).toBe(6);
  });
});
