import { z } from 'zod';

/**
 * A day (2024-01-31) or a time on it (2024-01-31T10:00, with seconds, Z or an
 * offset), checked against the calendar: 2008-13-45, 2023-02-29 and
 * 2008-01-01T25:00 are refused, not compared as text.
 */
export const CalendarDate = z.union([z.iso.date(), z.iso.datetime({ local: true, offset: true })], {
  error: 'a date on the calendar, like 2024-01-31 or 2024-01-31T10:00:00Z',
});

/** The from/to filters of the search and similar-asset routes, as the API accepts them. */
export const DATE_FILTERS = { from: CalendarDate.optional(), to: CalendarDate.optional() };
