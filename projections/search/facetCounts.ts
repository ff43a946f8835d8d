import type { Facet, SearchResult } from './searchIndex';

/** How many values a facet shows. */
export const FACET_SIZE = 20;

/** Values that count alike go in byte order of their UTF-8: SQLite's BINARY collation, OpenSearch's keyword order. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Each facet's top values, by count then value, from the matches' [type, make, year] as JSON arrays (null: none). */
export function facetsOf(matches: string[]): SearchResult['facets'] {
  const alike = new Map<string, number>();
  for (const values of matches) alike.set(values, (alike.get(values) ?? 0) + 1);
  const counts = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  for (const [values, count] of alike) {
    (JSON.parse(values) as (string | null)[]).forEach((value, facet) => {
      if (value !== null) counts[facet]!.set(value, (counts[facet]!.get(value) ?? 0) + count);
    });
  }
  const [type, make, year] = counts.map(top);
  return { type: type!, make: make!, year: year! };
}

function top(counts: Map<string, number>): Facet[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || byteOrder(a.value, b.value))
    .slice(0, FACET_SIZE);
}
