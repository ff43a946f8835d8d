import type { FastifyRequest } from 'fastify';

/**
 * A preValidation hook: a query parameter given blank (`maxSize=`, a form's
 * empty field) is taken as not given. Validated as given, `""` read as 0 for
 * numbers and as a name no asset has for text filters, so a search with a
 * blank field found nothing, and said nothing.
 */
export async function withoutBlankParameters(request: FastifyRequest): Promise<void> {
  const query = request.query as Record<string, unknown> | undefined;
  if (!query || typeof query !== 'object') return;
  for (const [name, value] of Object.entries(query)) if (value === '') delete query[name];
}
