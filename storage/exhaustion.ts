/**
 * Errors that say the machine ran out of something, not that the work or its
 * input is wrong: the same work succeeds once space or file descriptors are
 * freed. The API answers them as such (507, 503) and the processors wait
 * them out instead of failing the asset.
 */

/** What the file system and SQLite say when a disk or a quota is full. */
const STORAGE_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', 'SQLITE_FULL']);
/** What the system says when a process or the whole machine has no file descriptor left. */
const OUT_OF_DESCRIPTORS_CODES = new Set(['EMFILE', 'ENFILE']);
/**
 * The same, as a program the lake ran (ffmpeg, ffprobe) words it on its
 * standard error, which its error carries (`stderr`) instead of a code. Only
 * there: other messages may quote what a file says (an SVG's link, a name),
 * and a file must not pass for a full disk.
 */
const STORAGE_FULL_WORDS = /no space left on device|disk quota exceeded/i;
const OUT_OF_DESCRIPTORS_WORDS = /too many open files/i;

/** Whether the error, or one it was caused by (a store may wrap what the file system said), has a code of `codes` or a program's stderr says `words`. */
function saidBy(error: unknown, codes: Set<string>, words: RegExp): boolean {
  for (let depth = 0, cause = error; depth < 8 && cause instanceof Error; depth++, cause = cause.cause) {
    const { code, stderr } = cause as { code?: unknown; stderr?: unknown };
    if (codes.has(String(code)) || (typeof stderr === 'string' && words.test(stderr))) return true;
  }
  return false;
}

/** A full disk or quota. */
export const isStorageFull = (error: unknown): boolean => saidBy(error, STORAGE_FULL_CODES, STORAGE_FULL_WORDS);

/** No file descriptor left, in this process or on the machine. */
export const isOutOfDescriptors = (error: unknown): boolean => saidBy(error, OUT_OF_DESCRIPTORS_CODES, OUT_OF_DESCRIPTORS_WORDS);

/** Either: what clears by itself, or when an operator frees space. */
export const isExhaustion = (error: unknown): boolean => isStorageFull(error) || isOutOfDescriptors(error);
