import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/**
 * What the OpenAPI document says of a route beyond the schema Fastify
 * validates (a route's `config.document`): the headers a client sends and
 * those it reads back, and a body of raw bytes. Only the document's: as a
 * schema they would be validated before the route runs, and these routes
 * answer a missing header themselves (412 without Tus-Resumable, the whole
 * object without a Range).
 */
export interface RouteDocument {
  /** Request headers by name: what each does, and whether the route refuses a request without it. */
  requestHeaders?: Record<string, { description: string; required?: boolean }>;
  /** Response headers by status, then by name: what each says. */
  responseHeaders?: Record<number, Record<string, string>>;
  /** The media type of a body of raw bytes (a tus PATCH's). */
  bytesBody?: string;
}

/** A route whose answer is a thing at a version: its ETag, for If-Match. */
export const VERSION_TAG: RouteDocument = { responseHeaders: { 200: { ETag: 'the version, "N": send it as If-Match to change this only while it is current' } } };

/** What every route may answer: 429 says when to try again. */
const EVERY_ROUTE = { 429: { 'Retry-After': 'seconds until a request is taken again' } };

declare module 'fastify' {
  interface FastifyContextConfig {
    document?: RouteDocument;
  }
}

/**
 * The body of a route that consumes multipart/form-data, as the document
 * shows it: file parts. Only the document's: a body schema on the route would
 * have Fastify validate a body the multipart plugin streams to disk instead.
 */
const MULTIPART_FILES = {
  type: 'object',
  properties: {
    file: {
      type: 'array',
      items: { type: 'string', format: 'binary' },
      description: 'One part per file, each with a filename (the part name is not read): every file part becomes an asset',
    },
  },
  required: ['file'],
};

type Transformed = ReturnType<typeof jsonSchemaTransform>;
type Schema = Transformed['schema'] & { response?: Record<string, Record<string, unknown>> };

/** A route's `config.document` in its schema as @fastify/swagger reads it: request headers as header parameters, response headers beside each response. */
function withRouteDocument(schema: Schema, document: RouteDocument): Schema {
  const { requestHeaders = {}, bytesBody } = document;
  const responseHeaders = { ...EVERY_ROUTE, ...document.responseHeaders };
  // Beside the headers the route validates, if it has any.
  const validated = (schema.headers ?? { properties: {}, required: [] }) as { properties?: object; required?: string[] };
  const headers = Object.keys(requestHeaders).length && {
    type: 'object',
    properties: { ...validated.properties, ...Object.fromEntries(Object.entries(requestHeaders).map(([name, { description }]) => [name, { type: 'string', description }])) },
    required: [...(validated.required ?? []), ...Object.entries(requestHeaders).flatMap(([name, { required }]) => (required ? [name] : []))],
  };
  const response = { ...schema.response };
  for (const [status, named] of Object.entries(responseHeaders)) {
    const headersOf = Object.fromEntries(Object.entries(named).map(([name, description]) => [name, { type: 'string', description }]));
    const declared = response[status];
    if (declared) response[status] = { ...declared, headers: { ...(declared.headers as object), ...headersOf } };
  }
  return {
    ...schema,
    response,
    ...(headers && { headers }),
    ...(bytesBody && { body: { type: 'string', format: 'binary' }, consumes: [bytesBody] }),
  };
}

/** jsonSchemaTransform, a multipart route's body (MULTIPART_FILES) where it declares none, and each route's config.document. */
export const documented: typeof jsonSchemaTransform = (input) => {
  const transformed = jsonSchemaTransform(input);
  if (transformed.schema.hide) return transformed;
  let schema = transformed.schema as Schema;
  const multipart = (input.schema?.consumes as string[] | undefined)?.includes('multipart/form-data');
  if (multipart && !input.schema?.body) schema = { ...schema, body: MULTIPART_FILES };
  const document = (input.route as { config?: { document?: RouteDocument } } | undefined)?.config?.document;
  return { ...transformed, schema: withRouteDocument(schema, document ?? {}) };
};

/**
 * The document as @fastify/swagger makes it, but for two things. It marks
 * every request body required, and a body whose schema takes null may be
 * left out (POST /assets/{id}/reprocess runs every processor without one).
 * And operationIds, which must be unique: a route serving GET and HEAD gives
 * both one operation, so the HEAD's becomes the GET's with "head" for "get"
 * (getRendition, headRendition); a route of HEAD alone keeps its own, where
 * @fastify/swagger appends "-head" to it.
 */
export const documentObject: typeof jsonSchemaTransformObject = (input) => {
  const document = jsonSchemaTransformObject(input) as { paths?: Record<string, Record<string, Operation>> };
  for (const path of Object.values(document.paths ?? {})) {
    if (path.head?.operationId) {
      const id = path.head.operationId.replace(/-head$/, '');
      path.head = { ...path.head, operationId: path.get?.operationId === id ? id.replace(/^get/, 'head') : id };
    }
    for (const operation of Object.values(path)) {
      const body = operation.requestBody;
      if (body && Object.values(body.content ?? {}).every((media) => media.schema?.nullable === true)) body.required = false;
    }
  }
  return document as ReturnType<typeof jsonSchemaTransformObject>;
};
interface Operation {
  operationId?: string;
  requestBody?: {
    required?: boolean;
    content?: Record<string, { schema?: { nullable?: boolean } }>;
  };
}
