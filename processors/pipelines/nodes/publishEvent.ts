import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { NodeError, type NodeType } from '../node';

const Parameters = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /** The name of the secret the body is signed with (HMAC-SHA256), sent as X-Medialake-Signature: sha256=HEX. */
  secret: z.string().min(1).max(200),
  /** What the receiver is told happened. */
  event: z.string().min(1).max(200).default('pipeline.node'),
});

/** Tells a webhook about the asset, signed so the receiver knows it came from this lake; retried per the node's policy. */
export const publishEventNode: NodeType<z.infer<typeof Parameters>> = {
  type: 'publish-event',
  description: 'posts an event about the asset to a webhook, signed with HMAC-SHA256',
  parameters: Parameters,
  needs: [],
  gives: [],
  outputs: ['status'],
  async run(parameters, context) {
    const body = JSON.stringify({ event: parameters.event, assetId: context.assetId, originalName: context.asset.originalName, execution: context.execution });
    const signature = createHmac('sha256', await context.secrets.get(parameters.secret)).update(body).digest('hex');
    const response = await fetch(parameters.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-medialake-signature': `sha256=${signature}` },
      body,
      signal: context.signal,
    }).catch((error: Error) => {
      throw new NodeError('HTTP_UNREACHABLE', `POST ${parameters.url} failed: ${error.message}`, true);
    });
    const text = await response.text();
    if (!response.ok) {
      throw new NodeError('HTTP_STATUS', `POST ${parameters.url} answered ${response.status}`, response.status >= 500 || response.status === 429, { status: response.status, body: text.slice(0, 500) });
    }
    return { outputs: { status: response.status } };
  },
};
