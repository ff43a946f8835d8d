import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { api, answer } from '../api/client';
import { useCursorPages } from '../api/cursorPages';
import { busyMarks, useOneAtATime } from '../api/oneAtATime';
import { ViewHeading } from '../components/ViewHeading';
import { focusNeighbourWhenGone, matching } from '../focusNeighbour';
import { useMe } from '../api/me';
import { processorName, reprocess } from '../api/reprocess';
import type { paths } from '../api/schema';
import type { AssetStatus, AuditPage, ProjectionStatus } from '../api/types';
import { TableHead } from '../components/TableHead';

/** GET /status: each consumer's lag and dead letters, and the assets by status (to those who see the whole library). */
interface LakeStatus {
  consumers: { group: string; lag: number; deadLetters: number }[];
  assets?: Partial<Record<AssetStatus, number>>;
}

const AUDIT_FILTERS = ['actor', 'type', 'source', 'from', 'to'] as const;

/** The URL parameter naming the consumer whose dead letters the list shows (all without it). */
const DEAD_LETTERS_OF = 'deadLetters';

/** The URL with the dead letters shown being `group`'s (every consumer's when undefined), other filters kept. */
function deadLettersOf(params: URLSearchParams, group: string | undefined): string {
  const next = new URLSearchParams(params);
  if (group === undefined) next.delete(DEAD_LETTERS_OF);
  else next.set(DEAD_LETTERS_OF, group);
  return `?${next}`;
}

/** Each consumer's lag and dead letters; to those who may list them (reprocess), a count of dead letters links to that consumer's. */
function Consumers({ status, deadLetters }: { status: LakeStatus; deadLetters: boolean }) {
  const [params] = useSearchParams();
  return (
    <section aria-label="Consumers">
      <h3>Consumers</h3>
      {status.assets && (
        <p>
          Assets:{' '}
          {Object.entries(status.assets)
            .map(([name, count]) => `${count} ${name}`)
            .join(', ') || 'none'}
        </p>
      )}
      <table data-testid="consumers">
        <TableHead columns={['Consumer', 'Lag (events)', 'Dead letters']} />
        <tbody>
          {status.consumers.map((consumer) => (
            <tr key={consumer.group} className={consumer.deadLetters ? 'attention' : undefined}>
              <td>{consumer.group}</td>
              <td>{consumer.lag}</td>
              <td>
                {deadLetters && consumer.deadLetters ? (
                  <Link to={deadLettersOf(params, consumer.group)}>
                    {consumer.deadLetters}
                    <span className="visually-hidden"> of {consumer.group}: show them</span>
                  </Link>
                ) : (
                  consumer.deadLetters
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** A rebuild as people read it: its state, how far it got, when it ended, and why it failed. */
function RebuildShown({ rebuild }: { rebuild: NonNullable<ProjectionStatus['rebuild']> }) {
  const { state, applied, total, startedAt, finishedAt, error } = rebuild;
  return (
    <>
      {state}, {applied} of {total} events, {finishedAt ? `ended ${finishedAt}` : `started ${startedAt}`}
      {error && <span className="attention">: {error}</span>}
    </>
  );
}

function Projections({ projections }: { projections: ProjectionStatus[] }) {
  return (
    <section aria-label="Projections">
      <h3>Projections</h3>
      <table>
        <TableHead columns={['Projection', 'Version', 'Generation', 'Lag', 'Last rebuild']} />
        <tbody>
          {projections.map((projection) => (
            <tr key={projection.name} className={projection.stale || projection.pastLogEnd ? 'attention' : undefined}>
              <td>{projection.name}</td>
              <td>
                {projection.version}
                {projection.stale && ' (stale: rebuild it)'}
                {projection.pastLogEnd && " (past the log's end: rebuild it)"}
              </td>
              <td>{projection.live ? `${projection.live.generation} (v${projection.live.version}), built ${projection.live.builtAt}` : '—'}</td>
              <td>
                {projection.lag}
                {projection.lagSeconds ? ` (${projection.lagSeconds} s)` : ''}
              </td>
              <td>{projection.rebuild ? <RebuildShown rebuild={projection.rebuild} /> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** The dead letters' Reprocess buttons: one used is replaced by its outcome, and the focus goes to the next. */
const reprocessButtons = matching('[data-testid="dead-letters"] button');

type DeadLetterPage = paths['/dead-letters']['get']['responses']['200']['content']['application/json'];
type DeadLetter = DeadLetterPage['deadLetters'][number];

/** A dead letter's processor: its consumer group is processor:<name>. */
const processorOf = (letter: DeadLetter) => processorName(letter.group);

/**
 * What the processors gave up on, newest first, a page at a time, each with
 * the error and a button that asks that processor to run on the asset again
 * (a ReprocessRequested on the log). Shown to those who may reprocess (admins).
 */
function DeadLetters() {
  const [params] = useSearchParams();
  const group = params.get(DEAD_LETTERS_OF) ?? undefined;
  const [requested, setRequested] = useState<Record<string, string>>({});
  const { busy, run } = useOneAtATime();
  const readPage = useCallback(
    async (after?: string) => {
      const page = await answer<DeadLetterPage>(api.GET('/dead-letters', { params: { query: { limit: 100, ...(group && { group }), ...(after && { after }) } } }));
      return { items: page.deadLetters, next: page.next };
    },
    [group],
  );
  const { items: letters, next, more } = useCursorPages(readPage);
  const requestAgain = async (letter: DeadLetter) => {
    const outcome = await reprocess(letter.assetId, [processorOf(letter)], 'from the operations view').then(
      (eventId) => `requested (${eventId.slice(0, 8)})`,
      (failure: Error) => failure.message,
    );
    setRequested((current) => ({ ...current, [letter.eventId + letter.group]: outcome }));
  };
  if (!letters) return null;
  return (
    <section aria-label="Dead letters">
      <h3>Dead letters</h3>
      {group && (
        <p>
          Of {group} only: <Link to={deadLettersOf(params, undefined)}>show every consumer's</Link>
        </p>
      )}
      {!letters.length && <p>None: every processor finished what it was given.</p>}
      {letters.length > 0 && (
        <table data-testid="dead-letters">
          <TableHead columns={['Time', 'Processor', 'Asset', 'Error', 'Attempts', 'Reprocess']} />
          <tbody>
            {letters.map((letter) => {
              const key = letter.eventId + letter.group;
              return (
                <tr key={key} data-asset={letter.assetId}>
                  <td>{letter.time}</td>
                  <td>{processorOf(letter)}</td>
                  <td>
                    <Link to={`/asset/${letter.assetId}`}>{letter.assetId.slice(0, 8)}</Link>
                  </td>
                  <td>{letter.error}</td>
                  <td>{letter.attempts}</td>
                  <td>
                    {requested[key] ? (
                      <span role="status">{requested[key]}</span>
                    ) : (
                      <button
                        type="button"
                        {...busyMarks(busy)}
                        onClick={(event) => !busy && (focusNeighbourWhenGone(event.currentTarget, reprocessButtons), void run(() => requestAgain(letter)))}
                        aria-label={`Reprocess ${letter.assetId.slice(0, 8)} with ${processorOf(letter)}`}>
                        Reprocess
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" onClick={more}>
          Older dead letters
        </button>
      )}
    </section>
  );
}

type AuditQuery = NonNullable<paths['/audit']['get']['parameters']['query']>;

/** The form's filters as the audit route's query, newest first; `type` is comma-separated, as the API reads it. */
function auditQuery(filters: Record<string, string>): AuditQuery {
  const { type, ...rest } = Object.fromEntries(Object.entries(filters).filter(([, value]) => value));
  return { ...rest, ...(type ? { type: type.split(',') as AuditQuery['type'] } : {}), order: 'desc', limit: 200 };
}

const auditPage = (query: AuditQuery, parseAs: 'json' | 'text') =>
  api.GET('/audit', { params: { query }, parseAs, querySerializer: { array: { style: 'form', explode: false } } });

/** The route's largest page (AuditQuery's limit bound): an export of tens of thousands of entries takes the fewest requests. */
const EXPORT_PAGE = 1000;

/** One page of the filtered trail as CSV, and the cursor of the next: CSV has no room for it, so the API sends it as X-Next-Cursor (absent on the last). */
async function csvPage(filters: Record<string, string>, after: string | undefined): Promise<{ csv: string; next?: string }> {
  const call = auditPage({ ...auditQuery(filters), limit: EXPORT_PAGE, format: 'csv', ...(after && { after }) }, 'text');
  const csv = await answer<string>(call);
  return { csv, next: (await call).response.headers.get('x-next-cursor') ?? undefined };
}

/** The records in CSV as the API writes it (RFC 4180): its line ends outside quotes, since a quoted field (a payload) may hold line breaks. */
function csvRecords(csv: string): number {
  let records = 0;
  let quoted = false;
  for (const character of csv) {
    if (character === '"') quoted = !quoted;
    else if (character === '\n' && !quoted) records++;
  }
  return records;
}

/**
 * Every entry the filters match, page after page to the last, as one CSV
 * under the first page's header (each page repeats it). Any page that fails
 * throws, so a part of the trail is never taken for the whole; `progress`
 * hears the entries fetched so far.
 */
async function wholeTrailCsv(filters: Record<string, string>, progress: (entries: number) => void): Promise<{ csv: Blob; entries: number }> {
  const parts: string[] = [];
  let entries = 0;
  for (let after: string | undefined, first = true; first || after; first = false) {
    const page = await csvPage(filters, after);
    const body = page.csv.slice(page.csv.indexOf('\r\n') + 2);
    parts.push(first ? page.csv : body);
    entries += csvRecords(body);
    progress(entries);
    after = page.next;
  }
  return { csv: new Blob(parts, { type: 'text/csv' }), entries };
}

/** Hands the file to the browser to save: it was fetched with the credential, which a plain link could not carry. */
function save(file: Blob, name: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(file);
  link.download = name;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** Export CSV: the whole filtered trail, with its progress; disabled while one runs, so a second click does not fetch it all again. */
function ExportCsv({ filters }: { filters: Record<string, string> }) {
  const { busy, run } = useOneAtATime();
  const [progress, setProgress] = useState<string>();
  const [failure, setFailure] = useState<string>();
  const exportAll = async () => {
    const told = (entries: number) => setProgress(`Exporting: ${entries} entries so far…`);
    setFailure(undefined);
    told(0);
    try {
      const { csv, entries } = await wholeTrailCsv(filters, told);
      save(csv, 'medialake-audit.csv');
      setProgress(`Exported ${entries} entries.`);
    } catch (error) {
      setProgress(undefined);
      setFailure(`The export stopped and saved nothing: ${(error as Error).message}`);
    }
  };
  return (
    <>
      <button type="button" {...busyMarks(busy)} onClick={() => void run(exportAll)}>
        Export CSV
      </button>
      <span role="status">{progress}</span>
      {failure && <span role="alert">{failure}</span>}
    </>
  );
}

/** The view of an event's stream: a collection's (c and 32 hex digits), a pipeline's (pipeline-NAME), an asset's; a user's has none (its id alone). */
function StreamLink({ id }: { id: string }) {
  const shown = id.startsWith('pipeline-') ? id : id.slice(0, 8);
  if (/^c[0-9a-f]{32}$/.test(id)) return <Link to={`/albums/${id}`}>{shown}</Link>;
  if (id.startsWith('pipeline-')) return <Link to={`/pipeline/${id.slice('pipeline-'.length)}`}>{shown}</Link>;
  if (/^user-[0-9a-f]{16}$/.test(id)) return <span title={id}>{id}</span>;
  return <Link to={`/asset/${id}`}>{shown}</Link>;
}

/**
 * The trail, newest first, filtered as the URL says (?actor=…&type=…&source=…&from=…&to=…), so a
 * question put to it can be bookmarked, shared and gone back to; pages follow by cursor to its start.
 */
function AuditTrail() {
  const [params, setParams] = useSearchParams();
  const key = AUDIT_FILTERS.map((name) => params.get(name) ?? '').join('\n');
  const filters = useMemo(() => Object.fromEntries(key.split('\n').map((value, i) => [AUDIT_FILTERS[i]!, value])), [key]);
  const readPage = useCallback(
    async (after?: string) => {
      const page = await answer<AuditPage>(auditPage({ ...auditQuery(filters), ...(after && { after }) }, 'json'));
      return { items: page.entries, next: page.next };
    },
    [filters],
  );
  const { items: entries, next, error, more } = useCursorPages(readPage);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const chosen = [...new FormData(event.currentTarget)].map(([name, value]) => [name, String(value).trim()]).filter(([, value]) => value);
    // The dead letters shown stay those of the consumer chosen.
    const deadLetters = params.get(DEAD_LETTERS_OF);
    setParams(new URLSearchParams([...chosen, ...(deadLetters ? [[DEAD_LETTERS_OF, deadLetters]] : [])]));
  };
  return (
    <section aria-label="Audit trail">
      <h3>Audit trail</h3>
      {/* Keyed by the URL's filters: going back shows the filters of the page shown. */}
      <form key={key} onSubmit={submit} className="filters">
        {AUDIT_FILTERS.map((name) => (
          <label key={name}>
            {name}
            <input
              name={name}
              defaultValue={filters[name]}
              placeholder={name === 'type' ? 'AssetIngested,UserMetadataUpdated' : name === 'from' || name === 'to' ? '2026-01-31' : ''}
            />
          </label>
        ))}
        <button type="submit">Filter</button>
        <ExportCsv filters={filters} />
      </form>
      {error && <p role="alert">{error}</p>}
      <table data-testid="audit">
        <TableHead columns={['Time', 'Asset', 'Event', 'Actor', 'Source']} />
        <tbody>
          {entries?.map((entry) => (
            <tr key={entry.eventId}>
              <td>{entry.time}</td>
              <td>
                <StreamLink id={entry.assetId} /> v{entry.assetVersion}
              </td>
              <td>{entry.type}</td>
              <td>{entry.actor}</td>
              <td>{entry.source}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {next && (
        <button type="button" onClick={more}>
          Older entries
        </button>
      )}
    </section>
  );
}

/**
 * What the lake is doing: consumers' lag and dead letters, the projections'
 * generations, and who did what. The dead letters and the audit trail are what the default
 * policies give admins only: others are not shown them, and they are not asked
 * for on their behalf (a refusal would be an error in the browser's console).
 */
export function Operations() {
  const may = useMe()?.may;
  const reprocesses = may?.includes('reprocess') === true;
  const [status, setStatus] = useState<LakeStatus>();
  const [projections, setProjections] = useState<ProjectionStatus[]>([]);
  const [error, setError] = useState<string>();
  useEffect(() => {
    const failed = (failure: Error) => setError(failure.message);
    void answer<LakeStatus>(api.GET('/status')).then(setStatus, failed);
    void answer<{ projections: ProjectionStatus[] }>(api.GET('/projections/status')).then((answered) => setProjections(answered.projections), failed);
  }, []);
  return (
    <section className="view operations" aria-label="Operations">
      <ViewHeading title="Operations" />
      {error && <p role="alert">{error}</p>}
      {status && <Consumers status={status} deadLetters={reprocesses} />}
      {reprocesses && <DeadLetters />}
      <Projections projections={projections} />
      {may?.includes('readAudit') && <AuditTrail />}
    </section>
  );
}
