import { decodeImage, decodedBytes, type DecodedImage, type DecodeOptions } from './decodedImage';
import { InvalidMediaError, isInvalidMedia, undecodableAlone, type ProcessorInput } from './processor';

/** The original an ingest names, as its event records it, or a rendition the lake made (whose size its own plan bounds). */
export interface OriginalRef {
  objectKey: string;
  sha256: string;
  size: number;
  rendition?: true;
}

interface Entry {
  original?: Promise<Buffer>;
  image?: Promise<DecodedImage>;
  /** The processors that have not finished with it yet. */
  pending: Set<string>;
  bytes: number;
}

/** The part of a processor's input that is shared: the bytes and the decode (the runner adds the original's location). */
export type SharedInput = Pick<ProcessorInput, 'original' | 'image'> & { release(): void };

/** What held originals and decodes may take together; past it the oldest go (and are read again if asked for). */
const DEFAULT_BUDGET_BYTES = 256 * 1024 * 1024;

/**
 * What the processors of one process share about an original: one read of
 * its bytes and one decode of its pixels, not one per processor. Each
 * processor still asks for what it needs and computes its own result; an
 * entry is kept until every processor that takes the ingest is done with it,
 * within a memory budget. A read that fails for a passing reason is forgotten
 * (a retry reads again); bad input stays bad for every processor.
 */
export class SharedInputs {
  private readonly entries = new Map<string, Entry>();
  private held = 0;

  constructor(
    private readonly read: (original: OriginalRef) => Promise<Buffer>,
    private readonly decode: DecodeOptions,
    private readonly budgetBytes = DEFAULT_BUDGET_BYTES,
  ) {}

  /**
   * The input `taker` gets for an original that `takers` (every processor
   * that handles the ingest, `taker` among them) will read; `release` says it
   * is done with it.
   */
  use(original: OriginalRef, taker: string, takers: () => string[]): SharedInput {
    const key = `${original.objectKey}\n${original.sha256}`;
    const entry = () => {
      let found = this.entries.get(key);
      if (!found) this.entries.set(key, (found = { pending: new Set([taker, ...takers()]), bytes: 0 }));
      return found;
    };
    entry();
    const originalBytes = (): Promise<Buffer> => {
      const current = entry();
      current.original ??= this.keep(key, current, 'original', this.read(original), (bytes) => bytes.length);
      return current.original;
    };
    return {
      original: originalBytes,
      image: () => {
        const current = entry();
        current.image ??= this.keep(key, current, 'image', originalBytes().then((bytes) => decoded(bytes, this.decode)), decodedBytes);
        return current.image;
      },
      release: () => {
        const current = this.entries.get(key);
        current?.pending.delete(taker);
        if (current && !current.pending.size) this.drop(key, current);
      },
    };
  }

  private keep<T>(key: string, entry: Entry, part: 'original' | 'image', value: Promise<T>, size: (value: T) => number): Promise<T> {
    value.then(
      (resolved) => {
        if (this.entries.get(key) !== entry) return;
        entry.bytes += size(resolved);
        this.held += size(resolved);
        this.evictOverBudget();
      },
      (error: unknown) => {
        if (!isInvalidMedia(error) && entry[part] === value) entry[part] = undefined;
      },
    );
    return value;
  }

  private evictOverBudget(): void {
    for (const [key, entry] of this.entries) {
      if (this.held <= this.budgetBytes) return;
      this.drop(key, entry);
    }
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.held -= entry.bytes;
  }
}

async function decoded(bytes: Buffer, options: DecodeOptions): Promise<DecodedImage> {
  if (bytes.length === 0) throw new InvalidMediaError('EMPTY_FILE', 'the file is empty');
  return decodeImage(bytes, options).catch(async (error: Error) => {
    throw await undecodableAlone(bytes, error, { read: 'pixels', maxInputPixels: options.maxInputPixels });
  });
}

/** The input of a processor run on its own (tests, one-off tools): the bytes given, decoded once. */
export function inputOf(bytes: Buffer, decode: DecodeOptions): ProcessorInput {
  const input = new SharedInputs(async () => bytes, decode).use({ objectKey: 'input', sha256: '', size: bytes.length }, 'input', () => []);
  return { ...input, originalLocation: () => Promise.reject(new Error('an input made of bytes lies nowhere a program could read it')) };
}
