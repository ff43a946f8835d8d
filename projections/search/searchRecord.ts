import type { AssetEvent } from '../../schemas/envelope';
import { foldAsset, type AssetRecord } from '../assetRecord';

/**
 * How much of a document's text the search index keeps: its first 64 Ki
 * characters (about 25 pages of prose), cut at a word. The log keeps up to
 * 256 KiB (DOCUMENT_TEXT_MAX_BYTES); the bound keeps each search document, and
 * the FTS5 prefix entries and OpenSearch n-grams of its words, within what a
 * million documents can afford. A word only past it does not find the document.
 */
export const INDEXED_TEXT_MAX_CHARS = 64 * 1024;

/**
 * The record the search projections fold: the asset record and what only
 * search needs, a document's text. Kept beside the record rather than in it:
 * the asset records (DynamoDB's items included) stay small.
 */
export type SearchRecord = AssetRecord & { documentText?: string };

/** The text up to the bound, ending at a word, so no word is indexed as a part of itself. */
export function indexedText(text: string): string {
  if (text.length <= INDEXED_TEXT_MAX_CHARS) return text;
  const cut = text.slice(0, INDEXED_TEXT_MAX_CHARS + 1);
  const lastSpace = cut.search(/\s\S*$/u);
  return cut.slice(0, lastSpace > 0 ? lastSpace : INDEXED_TEXT_MAX_CHARS);
}

/** The asset fold, and a document's text from DocumentTextExtracted; bytes ingested again start without it. */
export function foldSearchRecord(record: SearchRecord | undefined, event: AssetEvent): SearchRecord | undefined {
  const next: SearchRecord | undefined = foldAsset(record, event);
  if (next && next.status !== 'deleted' && event.type === 'DocumentTextExtracted') next.documentText = indexedText(event.payload.text);
  return next;
}
