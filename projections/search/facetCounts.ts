import type { Facet, SearchResult } from './searchIndex';

/** How many values a facet shows. */
export const FACET_SIZE = 20;

/** Values that count alike go in byte order of their UTF-8: SQLite's BINARY collation, OpenSearch's keyword order. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * Each facet's top values, by count then value, from the matches' [type,
 * make, year, collections] as JSON arrays (null: none; collections, a list).
 * With `within`, only those collections are counted: the others are not the
 * caller's to see.
 */
export function facetsOf(matches: string[], within?: readonly string[]): SearchResult['facets'] {
  const alike = new Map<string, number>();
  for (const values of matches) alike.set(values, (alike.get(values) ?? 0) + 1);
  const counts = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  const shown = within && new Set(within);
  const add = (facet: number, value: string, count: number) => counts[facet]!.set(value, (counts[facet]!.get(value) ?? 0) + count);
  for (const [values, count] of alike) {
    const [type, make, year, collections] = JSON.parse(values) as [string | null, string | null, string | null, string[]];
    [type, make, year].forEach((value, facet) => value !== null && add(facet, value, count));
    for (const id of collections) if (!shown || shown.has(id)) add(3, id, count);
  }
  const [type, make, year, collection] = counts.map(top);
  return { type: type!, make: make!, year: year!, collection: collection! };
}

function top(counts: Map<string, number>): Facet[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || byteOrder(a.value, b.value))
    .slice(0, FACET_SIZE);
}
