import { describe, expect, it } from 'vitest';
import { firstPage, withPage } from '../../web/src/views/searchPages';

const hits = (...ids: string[]) => ids.map((assetId) => ({ assetId }));

describe("the search view's pages", () => {
  it('shows once a hit that an asset arriving between two pages pushed from the end of one to the top of the next', () => {
    const first = firstPage({ hits: hits('a', 'b', 'c'), total: 7 });
    expect(first.next).toEqual({ offset: 3 });
    // "new" ranks first now: the page at offset 3 begins with c, which the first page ended with.
    const second = withPage(first, first.next!, { hits: hits('c', 'd', 'e'), total: 8 });
    expect(second.hits.map((hit) => hit.assetId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(second.next).toEqual({ offset: 6 });
    expect(withPage(second, second.next!, { hits: hits('f', 'g'), total: 8 }).next).toBeUndefined();
  });

  it("follows a listing's cursors past the offsets the API pages by, to the page that names none", () => {
    const first = firstPage({ hits: hits('a', 'b'), total: 10_000, next: 'cursor-1' });
    expect(first.next).toEqual({ after: 'cursor-1' });
    const far = withPage({ hits: [], next: { offset: 9_998 } }, { offset: 9_998 }, { hits: hits('y', 'z'), total: 10_000, next: 'cursor-2' });
    expect(far.next).toEqual({ after: 'cursor-2' });
    const last = withPage(far, far.next!, { hits: hits('zz'), total: 10_000 });
    expect(last.hits.map((hit) => hit.assetId)).toEqual(['y', 'z', 'zz']);
    expect(last.next).toBeUndefined();
  });
});
