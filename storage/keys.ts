/**
 * Object keys are paths of plain segments. Anything that could escape a
 * store's root, or be read two ways, is refused with the reason.
 */
export class UnsafeKeyError extends Error {
  readonly code = 'UNSAFE_KEY';
  constructor(
    readonly key: string,
    reason: string,
  ) {
    super(`object key ${JSON.stringify(key)} is not allowed: ${reason}`);
  }
}

const MAX_KEY_BYTES = 1024;
// Control characters, bidi overrides and isolates, zero-width marks, BOM, and lone surrogates.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb]/u;

export function assertSafeKey(key: string): string {
  const fail = (reason: string): never => {
    throw new UnsafeKeyError(key, reason);
  };
  if (typeof key !== 'string' || key.length === 0) fail('it is empty');
  if (!key.isWellFormed()) fail('it holds a lone surrogate');
  if (Buffer.byteLength(key) > MAX_KEY_BYTES) fail(`it is longer than ${MAX_KEY_BYTES} bytes`);
  if (FORBIDDEN.test(key)) fail('it holds a control, bidi or invisible character');
  if (key.normalize('NFC') !== key) fail('it is not in Unicode normal form C');
  if (key.startsWith('/')) fail('it is absolute');
  if (key.includes('\\')) fail('it holds a backslash');
  if (/^[a-zA-Z]:/.test(key)) fail('it names a drive');
  for (const segment of key.split('/')) {
    if (segment === '') fail('it has an empty segment');
    if (segment === '.' || segment === '..') fail('it has a "." or ".." segment');
    if (segment.trim() !== segment) fail('a segment starts or ends with white space');
  }
  return key;
}
