/** Windows' own files, written into any folder it shows (thumbnail caches, folder settings): not media. */
const WINDOWS_JUNK = new Set(['thumbs.db', 'desktop.ini']);

/**
 * Files and folders that a folder ingest, a watched folder and a folder
 * dropped or chosen in the web UI leave alone: hidden ones (a leading dot:
 * the `._IMG_0001.JPG` and `.DS_Store` macOS writes beside every file it
 * copies to a card, `.Trashes`) and Windows' own, whatever their case.
 */
export function leftAlone(name: string): boolean {
  return name.startsWith('.') || WINDOWS_JUNK.has(name.toLowerCase());
}
