import { z } from 'zod';

/**
 * A day (2024-01-31) or a time on it (2024-01-31T10:00, with seconds),
 * checked against the calendar: 2008-13-45, 2023-02-29 and 2008-01-01T25:00
 * are refused, not compared as text. Capture dates are compared as the camera
 * recorded them, its own clock and most often no offset, so a bound with Z
 * or an offset, which would stand for an instant, is refused too rather than
 * compared with clock times it cannot be ordered against.
 */
export const CalendarDate = z.union([z.iso.date(), z.iso.datetime({ local: true }).refine((time) => !time.endsWith('Z'))], {
  error: 'a date or a time as cameras record them, with no Z or offset, like 2024-01-31 or 2024-01-31T10:00:00',
});

/** The from/to filters of the search and similar-asset routes, as the API accepts them. */
export const DATE_FILTERS = { from: CalendarDate.optional(), to: CalendarDate.optional() };
