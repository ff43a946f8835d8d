import type { FastifyRequest } from 'fastify';
import { HttpError } from './errors';

/**
 * Where the first key or string of a parsed JSON body holds an unpaired UTF-16
 * surrogate ("tags.1"), or undefined. Iterative: a deeply nested body must not
 * overflow the stack.
 */
export function unpairedSurrogateAt(body: unknown): string | undefined {
  const pending: [value: unknown, path: string][] = [[body, '']];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [value, path] = next;
    if (typeof value === 'string' && !value.isWellFormed()) return path || 'the body';
    if (typeof value !== 'object' || value === null) continue;
    for (const [key, item] of Object.entries(value)) {
      const at = path ? `${path}.${key}` : key;
      if (!key.isWellFormed()) return `a key in ${path || 'the body'}`;
      pending.push([item, at]);
    }
  }
  return undefined;
}

/**
 * A preValidation hook. Text is kept as UTF-8 (the log, sealed personal data,
 * the projections), which cannot hold an unpaired surrogate: it would come
 * back as U+FFFD, changed. JSON can carry one (\ud800), so it is refused
 * before anything is written, instead of being changed.
 */
export async function refuseUnpairedSurrogates(request: FastifyRequest): Promise<void> {
  const at = unpairedSurrogateAt(request.body);
  if (at !== undefined) {
    throw new HttpError(
      400,
      'UNPAIRED_SURROGATE',
      `${at} holds an unpaired UTF-16 surrogate (a lone \\ud800-\\udfff escape), which is not text: send well-formed Unicode`,
    );
  }
}
