import { describe, expect, it } from 'vitest';
import { cursorOf, placeOf } from '../../projections/listingCursor';

describe("a listing's cursor", () => {
  it.each(['2024-01-31', '2024-01-31T09:30:00.000Z', '2024-01-31T09:30:00', '2024-01-31T09:30:00+02:00', '2019-06-26T18:31:42+0200', '2024-01-15 10:00:00'])(
    'names the place after a capture date as the media gave it: %s',
    (date) => {
      expect(placeOf(cursorOf({ date, assetId: 'a1b2c3' }))).toEqual({ date, assetId: 'a1b2c3' });
    },
  );

  it.each([['no date', 'not a date'], ['a day that is none', '2024-13-45'], ['a date after text', 'x2024-01-31']])('is refused where its date is %s', (_what, date) => {
    expect(placeOf(cursorOf({ date, assetId: 'a1b2c3' }))).toBeUndefined();
  });
});
