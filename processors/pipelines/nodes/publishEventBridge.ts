import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { z } from 'zod';
import { NodeError, type NodeType } from '../node';

/** Where the EventBridge client sends: the region, and an endpoint for an emulator (moto, LocalStack). */
export interface EventBridgeOptions {
  region?: string;
  endpoint?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

const Parameters = z.strictObject({
  /** The event bus, by name or ARN. */
  eventBus: z.string().min(1).max(1600).default('default'),
  /** The event's `source`, which rules match on (`aws.` is AWS's own). */
  source: z.string().min(1).max(256).refine((source) => !source.startsWith('aws.'), 'a source starting with "aws." is reserved for AWS services').default('medialake'),
  /** The event's `detail-type`, which rules match on. */
  detailType: z.string().min(1).max(128),
});

/** Entry errors another try can help; the rest (a malformed entry, no permission) fail at once. */
const RETRYABLE_ENTRY_ERRORS = new Set(['ThrottlingException', 'InternalFailure', 'InternalException', 'ServiceUnavailable']);

/**
 * Puts an event about the asset on an EventBridge bus (PutEvents), where
 * rules route it on (SQS, Lambda, Step Functions, another account). The
 * client makes one call per try: the node's retry policy is the only one.
 * A failed entry fails the node with EventBridge's error code.
 */
export function publishEventBridgeNode(options: EventBridgeOptions): NodeType<z.infer<typeof Parameters>> {
  let client: Promise<{ client: EventBridgeClient; PutEventsCommand: typeof import('@aws-sdk/client-eventbridge').PutEventsCommand }> | undefined;
  const connect = () =>
    (client ??= import('@aws-sdk/client-eventbridge').then(({ EventBridgeClient, PutEventsCommand }) => {
      const { region, endpoint, credentials } = options;
      return { client: new EventBridgeClient({ maxAttempts: 1, ...(region && { region }), ...(endpoint && { endpoint }), ...(credentials && { credentials }) }), PutEventsCommand };
    }));
  return {
    type: 'publish-eventbridge',
    description: 'puts an event about the asset on an Amazon EventBridge bus',
    parameters: Parameters,
    needs: [],
    gives: [],
    outputs: ['eventId'],
    async run(parameters, context) {
      const { client: eventBridge, PutEventsCommand } = await connect();
      const { asset } = context;
      const detail = { assetId: context.assetId, originalName: asset.originalName, mediaType: asset.mediaType, mimeType: asset.mimeType, size: asset.size, execution: context.execution };
      const entry = { EventBusName: parameters.eventBus, Source: parameters.source, DetailType: parameters.detailType, Detail: JSON.stringify(detail) };
      const answer = await eventBridge.send(new PutEventsCommand({ Entries: [entry] }), { abortSignal: context.signal }).catch((error: Error & { $metadata?: { httpStatusCode?: number }; $retryable?: unknown }) => {
        const status = error.$metadata?.httpStatusCode;
        const retryable = Boolean(error.$retryable) || status === undefined || status >= 500 || RETRYABLE_ENTRY_ERRORS.has(error.name);
        throw new NodeError(error.name, `PutEvents on ${parameters.eventBus} failed: ${error.message}`, retryable);
      });
      const [result] = answer.Entries ?? [];
      if (!result?.EventId) {
        const code = result?.ErrorCode ?? 'EVENTBRIDGE_NO_ENTRY';
        throw new NodeError(code, `EventBridge refused the event on ${parameters.eventBus}: ${result?.ErrorMessage ?? 'no entry in the answer'}`, RETRYABLE_ENTRY_ERRORS.has(code));
      }
      return { outputs: { eventId: result.EventId } };
    },
  };
}
