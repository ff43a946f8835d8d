/**
 * The hits a search view shows, page after page. A listing (no words) pages
 * by the cursor each page names, which an asset arriving meanwhile does not
 * disturb, however far it goes. A search with words pages by offset, so an
 * asset that arrives between two pages and ranks before them pushes the last
 * hit of one page to the top of the next: it is shown once (a grid with an
 * asset twice selects and renders it twice). The next page is asked from
 * where the last one ended, however many of its hits were new.
 */
export interface SearchPages<Hit extends { assetId: string }> {
  hits: Hit[];
  /** Where the next page starts; none after the last. */
  next?: PagePosition;
}

/** Where a page starts: after the cursor the page before named, or at an offset. */
export type PagePosition = { after: string } | { offset: number };

/** A page as the API answers it. */
export interface SearchPage<Hit> {
  hits: Hit[];
  total: number;
  next?: string;
}

/** The API pages by offset up to this far. */
const MAX_OFFSET = 10_000;

/** The next page's position: the cursor the page named, or (ended at an offset) the offset it ended at, while there is more. */
function nextOf(page: SearchPage<unknown>, endOffset: number | undefined): PagePosition | undefined {
  if (page.next) return { after: page.next };
  return endOffset !== undefined && endOffset < page.total && endOffset < MAX_OFFSET ? { offset: endOffset } : undefined;
}

export const firstPage = <Hit extends { assetId: string }>(page: SearchPage<Hit>): SearchPages<Hit> => ({ hits: page.hits, next: nextOf(page, page.hits.length) });

export function withPage<Hit extends { assetId: string }>(pages: SearchPages<Hit>, asked: PagePosition, page: SearchPage<Hit>): SearchPages<Hit> {
  const shown = new Set(pages.hits.map((hit) => hit.assetId));
  const endOffset = 'offset' in asked ? asked.offset + page.hits.length : undefined;
  return { hits: [...pages.hits, ...page.hits.filter((hit) => !shown.has(hit.assetId))], next: nextOf(page, endOffset) };
}
