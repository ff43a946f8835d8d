import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/** ftyp brands that name HEVC-coded HEIF (ISO/IEC 23008-12): stills, sequences, their extended and multi-layer forms. */
const HEVC_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'hevm', 'hevs']);

/** The brands of an ISO-BMFF file's ftyp box, major first; none for any other file. */
function brandsOf(bytes: Buffer): string[] {
  if (bytes.length < 16 || bytes.toString('latin1', 4, 8) !== 'ftyp') return [];
  const end = Math.min(bytes.readUInt32BE(0), bytes.length);
  const brands = [bytes.toString('latin1', 8, 12)];
  for (let at = 16; at + 4 <= end; at += 4) brands.push(bytes.toString('latin1', at, at + 4));
  return brands;
}

/**
 * HEIC: HEIF whose images are HEVC, which sharp's prebuilt libvips cannot
 * decode (it has libheif with AV1 only). AVIF is HEIF too, and sharp reads it.
 */
export const isHevcHeif = (bytes: Buffer): boolean => brandsOf(bytes).some((brand) => HEVC_BRANDS.has(brand));

interface Decoded {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3 | 4;
}

interface DecoderThread {
  worker: Worker;
  jobs: Map<number, { resolve(decoded: Decoded): void; reject(error: Error): void }>;
}

/**
 * libheif decodes one image at a time per thread: a thread per core, up to
 * four. The main thread's share of an image is small beside a decode, so on
 * two cores two threads gave `bench/heic.ts` 0.80–0.85 where one gave
 * 0.74–0.75 (and three 0.75–0.78).
 */
const THREADS = Math.min(4, availableParallelism());
const threads: DecoderThread[] = [];
let nextJob = 0;

/** A thread that stops fails its jobs (bad input or a crash: the caller records a failure) and is replaced on the next decode. */
function retire(thread: DecoderThread, error: Error): void {
  const at = threads.indexOf(thread);
  if (at >= 0) threads.splice(at, 1);
  for (const job of thread.jobs.values()) job.reject(error);
  thread.jobs.clear();
}

function startThread(): DecoderThread {
  const thread: DecoderThread = { worker: new Worker(new URL('./heifWorker.mjs', import.meta.url)), jobs: new Map() };
  thread.worker.unref();
  thread.worker.on('message', (reply: Decoded & { id: number; error?: string }) => {
    const job = thread.jobs.get(reply.id);
    thread.jobs.delete(reply.id);
    // An idle thread does not keep the process alive; a pending decode does.
    if (!thread.jobs.size) thread.worker.unref();
    if (reply.error !== undefined) job?.reject(new Error(reply.error));
    else job?.resolve(reply);
  });
  thread.worker.on('error', (error) => retire(thread, error));
  thread.worker.on('exit', (code) => retire(thread, new Error(`the HEIF decoding thread stopped (exit code ${code})`)));
  threads.push(thread);
  return thread;
}

/** The least busy thread; a new one while every thread has work and there is room for another. */
function idlestThread(): DecoderThread {
  const idlest = threads.reduce<DecoderThread | undefined>((best, t) => (!best || t.jobs.size < best.jobs.size ? t : best), undefined);
  return idlest && (idlest.jobs.size === 0 || threads.length >= THREADS) ? idlest : startThread();
}

function decodeInThread(bytes: Buffer, maxInputPixels: number): Promise<Decoded> {
  const thread = idlestThread();
  const id = nextJob++;
  thread.worker.ref();
  return new Promise((resolve, reject) => {
    thread.jobs.set(id, { resolve, reject });
    thread.worker.postMessage({ id, bytes, maxInputPixels });
  });
}

/**
 * The primary image of a HEIC file, decoded by libheif (libheif-js, as WASM,
 * in processors/heifWorker.mjs): RGB, or RGBA where the file has an alpha
 * plane. libheif applies the container's transformations (irot, imir, clap)
 * as it decodes, and HEIF's EXIF orientation only repeats them for readers
 * that do not know HEIF (ISO/IEC 23008-12 says to ignore it): these pixels
 * are upright, and turning them by the EXIF orientation would turn a phone's
 * portrait photo twice. The pixel limit is checked on the container's size,
 * before any decoding.
 */
export async function decodeHeif(bytes: Buffer, maxInputPixels: number): Promise<{ data: Buffer; width: number; height: number; channels: 3 | 4 }> {
  const { data, width, height, channels } = await decodeInThread(bytes, maxInputPixels);
  return { data: Buffer.from(data.buffer, data.byteOffset, data.byteLength), width, height, channels };
}
