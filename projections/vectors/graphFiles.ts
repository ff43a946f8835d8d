import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { readFile, rename, rm, writeFile, mkdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { HnswGraph, type GraphLabels, type GraphParameters } from './hnswGraph';
import type { VectorSpace } from './vectorSpace';

/**
 * Where the HNSW graphs of a SQLite vector index are kept between runs: a
 * folder beside its generation file (`vectors.db.graphs/`), one graph per
 * space. A graph is derived state, a cache of what the file's rows give: at
 * 1,000,000 vectors of 512 dimensions reading it back takes seconds, building
 * it again many minutes. Each graph is hnswlib's file plus a JSON file naming
 * it, with its labels, the file it belongs to and the change (seq) it has
 * seen; the JSON is renamed into place last, so a reader finds a whole graph
 * or the previous one. Anything that does not fit is ignored: the graph is
 * then built again from the rows.
 */

const SUFFIX = '.graphs';

interface GraphMeta extends GraphLabels {
  /** The vector file's own id (vector_meta): a file made again under the same name has another. */
  fileId: string;
  /** The last change of the vector file the graph has seen. */
  seq: number;
  dimensions: number;
  m: number;
  efConstruction: number;
  /** hnswlib's file, in the same folder. */
  graph: string;
}

export interface SavedGraph {
  graph: HnswGraph;
  seq: number;
}

export const graphsFolder = (databasePath: string) => `${databasePath}${SUFFIX}`;

const metaFile = (folder: string, space: string) => join(folder, `${space}.json`);

/** The graph of a space as last written, or undefined when there is none that fits this file and these settings. */
export async function readGraph(folder: string, space: string, fileId: string, parameters: GraphParameters): Promise<SavedGraph | undefined> {
  try {
    const meta: GraphMeta = JSON.parse(await readFile(metaFile(folder, space), 'utf8'));
    if (meta.fileId !== fileId || meta.m !== parameters.m || meta.efConstruction !== parameters.efConstruction) return undefined;
    return { graph: await HnswGraph.read(join(folder, meta.graph), meta.dimensions, parameters, meta), seq: meta.seq };
  } catch {
    return undefined; // none yet, or written by another version, or removed under us: built again
  }
}

/** Writes a space's graph as having seen change `seq`, then drops the graph file it replaces. */
export async function writeGraph(folder: string, space: string, vectors: VectorSpace<unknown>, fileId: string, seq: number): Promise<void> {
  await mkdir(folder, { recursive: true });
  const graph = `${space}.${randomBytes(6).toString('hex')}.hnsw`;
  const labels = await vectors.write(join(folder, graph));
  if (!labels) return;
  const previous = await readFile(metaFile(folder, space), 'utf8').then((text) => (JSON.parse(text) as GraphMeta).graph, () => undefined);
  const { m, efConstruction } = vectors.settings;
  const meta: GraphMeta = { fileId, seq, dimensions: vectors.vectors.dimensions, m, efConstruction, graph, ...labels };
  await writeFile(`${metaFile(folder, space)}.tmp`, JSON.stringify(meta));
  await rename(`${metaFile(folder, space)}.tmp`, metaFile(folder, space));
  if (previous && previous !== graph) await rm(join(folder, previous), { force: true });
}

export function removeGraphs(databasePath: string): void {
  rmSync(graphsFolder(databasePath), { recursive: true, force: true });
}

/** Drops the graph folders of vector files that are gone (a generation a rebuild replaced while another process held it). */
export function removeOrphanGraphs(databasePath: string): void {
  const directory = dirname(databasePath);
  const mine = basename(graphsFolder(databasePath));
  for (const entry of readdirSync(directory)) {
    if (entry.endsWith(SUFFIX) && entry !== mine && !existsSync(join(directory, entry.slice(0, -SUFFIX.length)))) {
      rmSync(join(directory, entry), { recursive: true, force: true });
    }
  }
}
