import { sep } from 'node:path';

/**
 * Characters that hide or disguise a name where it is shown or downloaded:
 * control characters (a bell, a tab, a newline) and those that override its
 * direction (`photo\u202Egpj.exe` shows as `photoexe.jpg`).
 */
const DISGUISING = /[\p{Cc}\u202A-\u202E\u2066-\u2069]/gu;

/** One part of a name (a file's, or a folder's on its path) as the lake keeps it, whichever way it came: without disguising characters, trimmed. */
export function cleanName(part: string): string {
  return part.replace(DISGUISING, '').trim();
}

/** A path below an ingested or watched folder as the asset's name: each part cleaned, one left empty by it as `_` (so parts are not run together). */
export function cleanPath(path: string): string {
  return path
    .split(sep)
    .map((part) => cleanName(part) || '_')
    .join(sep);
}

/** Windows' own files, written into any folder it shows (thumbnail caches, folder settings): not media. */
const WINDOWS_JUNK = new Set(['thumbs.db', 'desktop.ini']);

/** Files and folders that a folder ingest and a watched folder leave alone: hidden ones (a leading dot) and Windows' own, whatever their case. */
export function leftAlone(name: string): boolean {
  return name.startsWith('.') || WINDOWS_JUNK.has(name.toLowerCase());
}
