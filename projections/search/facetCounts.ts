import type { Facet, SearchResult } from './searchIndex';

/** How many values a facet shows. */
export const FACET_SIZE = 20;

/** Values that count alike go in byte order of their UTF-8: SQLite's BINARY collation, OpenSearch's keyword order. */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

type FacetName = Exclude<keyof SearchResult['facets'], 'collection'>;

/** The facet of each value of a match's array; an asset counts once under a codec, whether its video or its audio has it. */
const FACET_OF_VALUE: FacetName[] = ['type', 'make', 'year', 'resolution', 'duration', 'codec', 'codec'];

/**
 * Each facet's top values, by count then value, from the matches' values as
 * JSON arrays in FACET_OF_VALUE's order (null: none), then the collections
 * the asset is in (a list). With `within`, only those collections are
 * counted: the others are not the caller's to see.
 */
export function facetsOf(matches: string[], within?: readonly string[]): SearchResult['facets'] {
  const alike = new Map<string, number>();
  for (const values of matches) alike.set(values, (alike.get(values) ?? 0) + 1);
  const counts = new Map<keyof SearchResult['facets'], Map<string, number>>([...FACET_OF_VALUE, 'collection' as const].map((facet) => [facet, new Map()]));
  const add = (facet: keyof SearchResult['facets'], value: string, count: number) => counts.get(facet)!.set(value, (counts.get(facet)!.get(value) ?? 0) + count);
  const shown = within && new Set(within);
  for (const [values, count] of alike) {
    const parsed = JSON.parse(values) as (string | null | string[])[];
    const collections = parsed.pop() as string[];
    const counted = new Set<string>();
    (parsed as (string | null)[]).forEach((value, index) => {
      const facet = FACET_OF_VALUE[index]!;
      if (value === null || counted.has(`${facet}\n${value}`)) return;
      counted.add(`${facet}\n${value}`);
      add(facet, value, count);
    });
    for (const id of collections) if (!shown || shown.has(id)) add('collection', id, count);
  }
  return Object.fromEntries([...counts].map(([facet, values]) => [facet, top(values)])) as SearchResult['facets'];
}

function top(counts: Map<string, number>): Facet[] {
  return [...counts]
    .map(([value, count]) => ({ value, count }))
    .sort((a, b) => b.count - a.count || byteOrder(a.value, b.value))
    .slice(0, FACET_SIZE);
}
