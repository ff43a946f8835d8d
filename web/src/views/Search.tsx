import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { api, answer } from '../api/client';
import { useMe } from '../api/me';
import { listCollections } from '../api/collections';
import { useLatestAsking } from '../api/latestAsking';
import type { paths } from '../api/schema';
import { AssetGrid, hitItem, type GridItem } from '../components/AssetGrid';
import { Highlights } from '../components/Highlights';
import { ViewHeading } from '../components/ViewHeading';
import { SelectionBar } from '../organize/SelectionBar';
import { useSelection } from '../organize/selection';
import { focusNeighbourWhenGone, matching } from '../focusNeighbour';
import { firstPage, withPage, type PagePosition, type SearchPages } from './searchPages';

type SearchQuery = NonNullable<paths['/search']['get']['parameters']['query']>;
type SearchAnswer = paths['/search']['get']['responses']['200']['content']['application/json'];
type Hit = SearchAnswer['hits'][number];

const MODES = ['keyword', 'semantic', 'hybrid'] as const;
const PAGE = 100;
/** Facets the API counts, and the filter each sets in the URL. */
const FACETS = [
  { facet: 'type', label: 'Type' },
  { facet: 'make', label: 'Camera' },
  { facet: 'year', label: 'Year' },
  { facet: 'collection', label: 'Collection' },
  { facet: 'duration', label: 'Duration' },
  { facet: 'resolution', label: 'Resolution' },
  { facet: 'codec', label: 'Codec' },
] as const;

/**
 * The duration facet's buckets as the filter's inclusive range, in seconds
 * (the API's DURATION_BUCKETS, projections/search/mediaClasses.ts: each from
 * its least to just under the next one's).
 */
const DURATION_RANGES: Record<string, { minDuration: number; maxDuration?: number }> = {
  '0-1m': { minDuration: 0, maxDuration: 59.999 },
  '1-10m': { minDuration: 60, maxDuration: 599.999 },
  '10-60m': { minDuration: 600, maxDuration: 3599.999 },
  '1h+': { minDuration: 3600 },
};

/** The URL's state as the API's query: a year is the range of its days. */
function queryOf(params: URLSearchParams): SearchQuery {
  const year = params.get('year');
  const mode = params.get('mode');
  return {
    ...(params.get('q') ? { q: params.get('q')! } : {}),
    ...(MODES.includes(mode as (typeof MODES)[number]) ? { mode: mode as SearchQuery['mode'] } : {}),
    ...(params.get('type') ? { type: params.get('type') as SearchQuery['type'] } : {}),
    ...(params.get('make') ? { make: params.get('make')! } : {}),
    ...(params.get('collection') ? { collection: params.get('collection')! } : {}),
    ...(params.get('resolution') ? { resolution: params.get('resolution') as SearchQuery['resolution'] } : {}),
    ...(params.get('codec') ? { codec: params.get('codec')! } : {}),
    ...DURATION_RANGES[params.get('duration') ?? ''],
    ...(year ? { from: `${year}-01-01`, to: `${year}-12-31` } : {}),
  };
}

/** A hit's cell shows where the words matched, or else its camera. */
const gridItem = (hit: Hit): GridItem =>
  hitItem(hit, hit.highlights?.length ? <Highlights highlights={hit.highlights} /> : hit.make && <span className="camera">{[hit.make, hit.model].filter(Boolean).join(' ')}</span>);

/**
 * Search: words, a mode and facet filters, all held in the URL (?q=…&mode=…&type=…&make=…&year=…&collection=…&duration=…&resolution=…&codec=…),
 * so a search can be bookmarked, shared and gone back to.
 */
export function Search() {
  const [params, setParams] = useSearchParams();
  const [result, setResult] = useState<SearchAnswer>();
  const [pages, setPages] = useState<SearchPages<Hit>>({ hits: [] });
  const { hits } = pages;
  const [error, setError] = useState<string>();
  const key = params.toString();
  const ask = useLatestAsking();
  /** The search whose answer (its hits or its error) is shown. */
  const [answered, setAnswered] = useState<string>();
  const loading = useRef(false);

  const run = useCallback(
    async (asked?: PagePosition) => {
      if (asked && loading.current) return;
      loading.current = true;
      const latest = ask();
      try {
        const page = await answer<SearchAnswer>(api.GET('/search', { params: { query: { ...queryOf(params), limit: PAGE, ...asked } } }));
        if (!latest()) return;
        setError(undefined);
        setResult(page);
        setPages((current) => (asked ? withPage(current, asked, page) : firstPage(page)));
      } catch (failure) {
        if (!latest()) return;
        setError((failure as Error).message);
        // A new question that failed has no results: the last question's must not stand as its answer.
        if (!asked) {
          setResult(undefined);
          setPages({ hits: [] });
        }
      } finally {
        if (latest()) {
          loading.current = false;
          setAnswered(key);
        }
      }
    },
    [key], // eslint-disable-line react-hooks/exhaustive-deps
  );
  useEffect(() => void run(), [run]);
  /** The names of the collections the user may see: the collection facet counts by id. */
  const [collectionNames, setCollectionNames] = useState<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    listCollections().then(
      (collections) => setCollectionNames(new Map(collections.map(({ id, name }) => [id, name]))),
      (failure: Error) => setError(failure.message),
    );
  }, []);
  const shownAs = (facet: string, value: string) => (facet === 'collection' && collectionNames.get(value)) || value;

  const set = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next);
  };
  const q = params.get('q') ?? '';
  const [words, setWords] = useState(q);
  const submitted = useRef(q);
  // The box follows the URL when it changes by navigation (back, a link); after its own search it holds what was typed, and what is typed since stays.
  useEffect(() => {
    if (q !== submitted.current) setWords(q);
    submitted.current = q;
  }, [q]);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    submitted.current = words.trim();
    set('q', submitted.current);
  };
  const mode = params.get('mode') ?? 'keyword';
  // Semantic and hybrid modes are offered where the lake has an embedding model.
  const semantic = useMe()?.semanticSearch;
  const selection = useSelection(useMemo(() => hits.map((hit) => hit.assetId), [hits]));

  return (
    <section className="view search" aria-label="Search">
      <ViewHeading title="Search" />
      <form role="search" onSubmit={submit} className="search-bar">
        <label>
          <span className="visually-hidden">Search for</span>
          <input name="q" type="search" value={words} onChange={(event) => setWords(event.target.value)} placeholder="Search names, titles, tags, cameras…" />
        </label>
        <button type="submit">Search</button>
        {semantic && (
          <fieldset className="modes">
            <legend className="visually-hidden">Mode</legend>
            {MODES.map((name) => (
              <label key={name}>
                <input type="radio" name="mode" value={name} checked={mode === name} onChange={() => set('mode', name === 'keyword' ? undefined : name)} />
                {name}
              </label>
            ))}
          </fieldset>
        )}
      </form>
      {error && <p role="alert">{error}</p>}
      <SelectionBar selection={selection} />
      <div className="search-body" aria-busy={answered !== key}>
        <aside className="facets" aria-label="Filters">
          {/* Mounted from the start: a screen reader hears each search's total as it changes. */}
          <p className="total" data-testid="total" role="status">
            {result && `${result.totalRelation === 'gte' ? 'at least ' : ''}${result.total} found`}
          </p>
          {FACETS.map(({ facet, label }) => {
            const chosen = params.get(facet);
            const values = result?.facets[facet] ?? [];
            // Choosing a value replaces the facet's buttons by the one that takes it off, and taking it off the other way: the focus follows.
            const choosing = (event: { currentTarget: Element }, value: string | undefined) => (focusNeighbourWhenGone(event.currentTarget, matching(`[data-facet-group="${facet}"] button`), 0), set(facet, value));
            return (
              <fieldset key={facet} className="facet" data-facet-group={facet}>
                <legend>{label}</legend>
                {chosen && (
                  <button type="button" className="chosen" onClick={(event) => choosing(event, undefined)}>
                    {shownAs(facet, chosen)} ✕
                  </button>
                )}
                {!chosen &&
                  values.map(({ value, count }) => (
                    <button type="button" key={value} onClick={(event) => choosing(event, value)} data-facet={facet}>
                      {shownAs(facet, value)} <span className="count">{count}</span>
                    </button>
                  ))}
              </fieldset>
            );
          })}
        </aside>
        <AssetGrid items={hits.map(gridItem)} hasMore={pages.next !== undefined} onEnd={() => pages.next && void run(pages.next)} selection={selection} />
      </div>
    </section>
  );
}
