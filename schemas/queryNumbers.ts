import { z } from 'zod';

/**
 * A number from a query string, read as the CLI reads its flags
 * (cli/flags.ts): text must be `pattern`, anything else is refused saying
 * what was expected. Not z.coerce.number, which reads what Number() reads:
 * "0x10" as 16, "1e3" as 1000, " 7" as 7. A number given as one (a caller in
 * code) goes to `schema` as it is; so does a parameter left out, to its
 * default. The OpenAPI document shows `schema`.
 */
function fromText<T extends z.ZodType>(pattern: RegExp, expects: string, schema: T) {
  return z.preprocess((value, context) => {
    if (typeof value !== 'string') return value;
    if (pattern.test(value)) return Number(value);
    context.addIssue({ code: 'custom', message: `expected ${expects}, received ${JSON.stringify(value)}`, input: value });
    return z.NEVER;
  }, schema);
}

/** A whole number: plain decimal digits (20, not 0x10, 2e1, +20 or 20.0). */
export const wholeNumber = <T extends z.ZodType>(schema: T) => fromText(/^\d+$/, 'a whole number in decimal digits, like 20', schema);

/** A number of seconds: decimal digits, with a decimal fraction or not (90, 1.5). */
export const decimalNumber = <T extends z.ZodType>(schema: T) => fromText(/^\d+(\.\d+)?$/, 'a number in decimal digits, like 90 or 1.5', schema);
