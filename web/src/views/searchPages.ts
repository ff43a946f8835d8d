/**
 * The hits a search view shows, page after page. The API pages search by
 * offset, so an asset that arrives between two pages and ranks before them
 * pushes the last hit of one page to the top of the next: it is shown once
 * (a grid with an asset twice selects and renders it twice). The next page
 * is asked from where the last one ended, however many of its hits were new.
 */
export interface SearchPages<Hit extends { assetId: string }> {
  hits: Hit[];
  /** The offset of the next page. */
  next: number;
}

export const firstPage = <Hit extends { assetId: string }>(hits: Hit[]): SearchPages<Hit> => ({ hits, next: hits.length });

export function withPage<Hit extends { assetId: string }>(pages: SearchPages<Hit>, offset: number, hits: Hit[]): SearchPages<Hit> {
  const shown = new Set(pages.hits.map((hit) => hit.assetId));
  return { hits: [...pages.hits, ...hits.filter((hit) => !shown.has(hit.assetId))], next: offset + hits.length };
}
