import { ASSET_ID } from '../schemas/envelope';

/**
 * A place in a listing (asset records', a search's): the date it is listed
 * by, then the asset id, the order of every backend's index. Its cursor is
 * base64url of "<date>\n<assetId>" (cursorOfFields, which the dead letters'
 * listing uses too).
 */
export interface ListingPlace {
  date: string;
  assetId: string;
}

export function cursorOf({ date, assetId }: ListingPlace): string {
  return cursorOfFields([date, assetId]);
}

/**
 * A listing's date: the ingest time, or a capture date as the media gave it
 * (a day alone, a time with or without an offset, or in forms ISO 8601 does
 * not spell the same: QuickTime's `2019-06-26T18:31:42+0200`, a space for the
 * T): a day first, and a date Date reads.
 */
const isListedDate = (date: string) => /^\d{4}-\d{2}-\d{2}/.test(date) && !Number.isNaN(Date.parse(date));

/** The place a cursor names; undefined where the text is no cursor (a backend would read it as some other place in the listing). */
export function placeOf(cursor: string): ListingPlace | undefined {
  const [date, assetId] = fieldsOf(cursor, 2) ?? [];
  return date && assetId && ASSET_ID.test(assetId) && isListedDate(date) ? { date, assetId } : undefined;
}

/** A cursor of a listing's sort keys: base64url of them, one a line. */
export function cursorOfFields(fields: string[]): string {
  return Buffer.from(fields.join('\n')).toString('base64url');
}

/** The sort keys a cursor holds; undefined where it is not canonical base64url of `count` non-empty lines. */
export function fieldsOf(cursor: string, count: number): string[] | undefined {
  const text = Buffer.from(cursor, 'base64url').toString();
  const fields = text.split('\n');
  const canonical = Buffer.from(text).toString('base64url') === cursor;
  return canonical && fields.length === count && fields.every(Boolean) ? fields : undefined;
}
