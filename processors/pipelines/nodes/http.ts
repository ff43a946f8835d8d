import { z } from 'zod';
import { NodeError, type NodeContext, type NodeType } from '../node';

/** What of a response a failure keeps: enough to see why, never the whole body. */
const BODY_EXCERPT = 500;

const UserField = z.enum(['title', 'description', 'tags']);

/** What an HTTP header's name may hold (RFC 9110's token): a name fetch would refuse is refused before deploy. */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
/** What a header's value may hold: no line break or other control character, which fetch refuses (its refusal would quote the value). */
const HEADER_TEXT = /^[^\x00-\x08\x0a-\x1f\x7f]*$/;

const Parameters = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  method: z.enum(['POST', 'PUT']).default('POST'),
  /** The name of a secret in the lake's secret store, sent in `header`; the value never appears in the definition. */
  secret: z.string().min(1).max(200).optional(),
  header: z.string().min(1).max(100).regex(HEADER_NAME, 'a header name: letters, digits and !#$%&\'*+-.^_`|~, no space or colon').default('Authorization'),
  /** Put before the secret in the header: "Bearer " for a bearer token, "" for an API key. */
  scheme: z.string().max(50).regex(HEADER_TEXT, 'text on one line, with no control characters').default('Bearer '),
  /** User metadata fields set from the JSON response: { title: "caption", tags: "labels" } reads response.caption and response.labels (dotted paths reach deeper). */
  map: z.partialRecord(UserField, z.string().min(1)).default({}),
});
type Parameters = z.infer<typeof Parameters>;

function at(value: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((inner, key) => (inner !== null && typeof inner === 'object' ? (inner as Record<string, unknown>)[key] : undefined), value);
}

/** The response's values for the mapped fields, in the shapes user metadata takes. */
function mapped(response: unknown, map: Parameters['map']): Record<string, unknown> {
  const edit: Record<string, unknown> = {};
  for (const [field, path] of Object.entries(map)) {
    const value = at(response, path);
    if (value === undefined || value === null) continue;
    edit[field] = field === 'tags' ? (Array.isArray(value) ? value : [value]).map(String) : String(value);
  }
  return edit;
}

async function request(parameters: Parameters, context: NodeContext): Promise<{ response: Response; secret?: string }> {
  const secret = parameters.secret ? await context.secrets.get(parameters.secret) : undefined;
  if (secret !== undefined && !HEADER_TEXT.test(secret)) {
    throw new NodeError('SECRET_NOT_A_HEADER', `the secret ${parameters.secret} cannot be sent in a header: it holds a line break or another control character (store it on one line)`, false);
  }
  const body = {
    assetId: context.assetId,
    url: await context.originalUrl(),
    originalName: context.asset.originalName,
    mediaType: context.asset.mediaType,
    mimeType: context.asset.mimeType,
    size: context.asset.size,
    metadata: context.metadata ?? null,
    execution: context.execution,
  };
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== undefined) headers[parameters.header] = `${parameters.scheme}${secret}`;
  try {
    const response = await fetch(parameters.url, { method: parameters.method, headers, body: JSON.stringify(body), signal: context.signal });
    return { response, secret };
  } catch (error) {
    // What fetch says is recorded on the log for good: never with the secret's value in it.
    const message = secret ? (error as Error).message.split(secret).join(`[the secret ${parameters.secret}]`) : (error as Error).message;
    throw new NodeError('HTTP_UNREACHABLE', `${parameters.method} ${parameters.url} failed: ${message}`, true);
  }
}

/**
 * Calls an outside service (a tagger, a partner's API) with the asset's URL
 * and metadata, and maps its JSON answer into user metadata. A 5xx, a 429 or
 * no answer is worth another try; the failure keeps the status, and the start
 * of the body unless the call sent a secret (which the body may echo, in any
 * encoding).
 */
export const httpNode: NodeType<Parameters> = {
  type: 'http',
  description: "calls an outside service with the asset's URL and metadata; maps its JSON answer into user metadata",
  parameters: Parameters,
  needs: [],
  gives: [],
  outputs: ['status', 'title', 'description', 'tags'],
  async run(parameters, context) {
    const { response, secret } = await request(parameters, context);
    const text = await response.text();
    // A service may echo the credential it got, and what a failure records of the body is on the log for good: cut out, the
    // secret would still be there JSON-escaped, URL- or HTML-encoded, in base64 or hex, or cut in half by the excerpt's end.
    // A call that sent a secret records none of the body; the status and the message say what went wrong.
    const excerpt = secret === undefined ? text.slice(0, BODY_EXCERPT) : `(not kept: the call sent the secret ${parameters.secret}, which the body may echo)`;
    if (!response.ok) {
      const retryable = response.status >= 500 || response.status === 429;
      throw new NodeError('HTTP_STATUS', `${parameters.method} ${parameters.url} answered ${response.status}`, retryable, { status: response.status, body: excerpt });
    }
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new NodeError('HTTP_NOT_JSON', `${parameters.method} ${parameters.url} answered ${response.status} with a body that is not JSON`, false, { status: response.status, body: excerpt });
    }
    const edit = mapped(json, parameters.map);
    return {
      outputs: { status: response.status, ...edit },
      events: Object.keys(edit).length ? [{ type: 'UserMetadataUpdated', payload: edit }] : [],
    };
  },
};
