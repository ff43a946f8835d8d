/**
 * A place in a listing (asset records', a search's): the date it is listed
 * by, then the asset id, the order of every backend's index. Its cursor is
 * base64url of "<date>\n<assetId>".
 */
export interface ListingPlace {
  date: string;
  assetId: string;
}

export function cursorOf({ date, assetId }: ListingPlace): string {
  return Buffer.from(`${date}\n${assetId}`).toString('base64url');
}

/** The place a cursor names; undefined where the text is no cursor (not canonical base64url of two non-empty lines). */
export function placeOf(cursor: string): ListingPlace | undefined {
  const text = Buffer.from(cursor, 'base64url').toString();
  const [date = '', assetId = '', ...rest] = text.split('\n');
  const canonical = Buffer.from(text).toString('base64url') === cursor;
  return canonical && !rest.length && date && assetId ? { date, assetId } : undefined;
}
