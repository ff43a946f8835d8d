import { z } from 'zod';
import { errorResponse, HttpError } from './errors';

/** An asset's ETag is its version, a strong entity tag: "3". */
const ENTITY_TAG = /^(W\/)?"(0|[1-9]\d*)"$/;

/** The refusals of a write under If-Match. */
export const IF_MATCH_ERRORS = {
  409: errorResponse('It is at another version than If-Match names (VERSION_CONFLICT): currentVersion says which'),
  412: errorResponse('If-Match holds a weak entity tag, which never matches (PRECONDITION_FAILED)'),
};

/** The header as the OpenAPI document shows it; `expectedVersion` reads it. */
export const IfMatchHeaders = z.object({
  'if-match': z
    .string()
    .optional()
    .describe('The version as its ETag gave it ("3"), or * for whatever the current version; W/"3" never matches (412)'),
});

/**
 * The version an edit expects, from If-Match as RFC 9110 (§13.1.1) reads it:
 * absent or `*`: any current version (the asset must still exist);
 * `"3"`: version 3 only (else 409 with the current version);
 * `W/"3"`: never, so 412: If-Match uses the strong comparison, under which a
 * weak tag matches nothing;
 * anything else (an unbalanced quote, a bare number, a list, leading zeros,
 * more than a safe integer) is not a tag this API gave: 400.
 */
export function expectedVersion(header: string | undefined): number | undefined {
  const value = header?.trim();
  if (value === undefined || value === '*') return undefined;
  const [, weak, digits] = ENTITY_TAG.exec(value) ?? [];
  const version = Number(digits);
  if (digits === undefined || !Number.isSafeInteger(version)) {
    throw new HttpError(
      400,
      'INVALID_IF_MATCH',
      `If-Match ${JSON.stringify(value.slice(0, 40))} is not one entity tag of this API: send the ETag as it was given ("3"), or * for any version`,
    );
  }
  if (weak) {
    throw new HttpError(
      412,
      'PRECONDITION_FAILED',
      `If-Match W/"${digits}" is a weak entity tag, which never matches: If-Match compares strongly (RFC 9110); send "${digits}"`,
    );
  }
  return version;
}
