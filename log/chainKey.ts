import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The keys the hash chain is signed with (log/hashChain.ts), kept apart from
 * the log so that whoever can rewrite the log cannot recompute the chain.
 * A keyring is one or more keys, base64, separated by white space or commas;
 * the last one signs, the others only verify (rotation: add a new key at the
 * end and keep the old ones). Each key is named by an id derived from it,
 * which every signed link records, so a link finds its key however the ring
 * is ordered.
 */
export interface ChainKey {
  id: string;
  secret: Buffer;
}

const MIN_KEY_BYTES = 32;

export class ChainKeyError extends Error {
  readonly code = 'CHAIN_KEY_INVALID';
}

/** A link is signed with a key this keyring does not hold: verification cannot vouch for it, and says so. */
export class ChainKeyMissingError extends Error {
  readonly code = 'CHAIN_KEY_MISSING';
  constructor(
    readonly keyId: string,
    readonly where: string,
  ) {
    super(
      `${where} is signed with chain key ${keyId}, which is not configured here: ` +
        'give the lake the keyring the log was written with (MEDIALAKE_CHAIN_KEY, MEDIALAKE_CHAIN_KEY_FILE, or the data directory\'s chain.key); ' +
        'without it the chain can be neither checked nor appended to',
    );
  }
}

const keyId = (secret: Buffer) => createHash('sha256').update('medialake chain key\n').update(secret).digest('hex').slice(0, 12);

export function parseKeyring(text: string, origin: string): ChainKey[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((encoded) => {
      const secret = Buffer.from(encoded, 'base64');
      if (secret.length < MIN_KEY_BYTES) throw new ChainKeyError(`${origin}: a chain key must be at least ${MIN_KEY_BYTES} bytes, base64`);
      return { id: keyId(secret), secret };
    });
}

/** A new random key as a keyring line. */
export const newChainKey = () => randomBytes(MIN_KEY_BYTES).toString('base64');

/** Where a keyring comes from, first found wins: the text itself (MEDIALAKE_CHAIN_KEY), a file named in the configuration, the default file under the data directory. */
export interface ChainKeySource {
  key?: string;
  keyFile?: string;
  /** Created with mode 0600 when the log first signs, if no other source is given. */
  defaultFile?: string;
}

/**
 * The keys of one log. Read once; the default file is created only when a
 * link is signed, so verifying a log whose key is gone finds it missing
 * instead of making a new one.
 */
export class ChainKeyring {
  private keys?: ChainKey[];

  constructor(private readonly source: ChainKeySource) {}

  static of(...keys: string[]): ChainKeyring {
    return new ChainKeyring({ key: keys.join(',') });
  }

  private load(create: boolean): ChainKey[] {
    if (this.keys?.length) return this.keys;
    const { key, keyFile, defaultFile } = this.source;
    if (key !== undefined) return (this.keys = parseKeyring(key, 'MEDIALAKE_CHAIN_KEY'));
    const file = keyFile ?? defaultFile;
    if (!file) return (this.keys = []);
    try {
      return (this.keys = parseKeyring(readFileSync(file, 'utf8'), file));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      if (keyFile) throw new ChainKeyError(`the chain key file ${keyFile} does not exist`);
      if (!create) return [];
    }
    try {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, `${newChainKey()}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process made it first: use theirs
    }
    return (this.keys = parseKeyring(readFileSync(file, 'utf8'), file));
  }

  /** The key new links are signed with. */
  signing(): ChainKey {
    const key = this.load(true).at(-1);
    if (!key) throw new ChainKeyError('no chain key is configured: set MEDIALAKE_CHAIN_KEY or MEDIALAKE_CHAIN_KEY_FILE');
    return key;
  }

  /** A key by its id, for verification; `where` names the link in the error when it is not here. */
  byId(id: string, where: string): ChainKey {
    const key = this.load(false).find((candidate) => candidate.id === id);
    if (!key) throw new ChainKeyMissingError(id, where);
    return key;
  }
}
