import { z } from 'zod';

/**
 * S3 object changes as AWS delivers them, read in one place: S3 event
 * notification records (in an SQS message, an SNS notification, or a Lambda
 * invocation) and S3 events routed by EventBridge.
 */
export interface ObjectNotification {
  change: 'created' | 'deleted';
  bucket: string;
  /** The key as S3 stores it: decoded from the notification's form encoding. */
  key: string;
  /** Hex; orders the changes of one key (compareSequencers). */
  sequencer?: string;
  versionId?: string;
  size?: number;
  eTag?: string;
  time: string;
  /** Who made the change: an IAM principal or an account id. */
  requester?: string;
  /** S3's id of the request, to follow a change into S3's own logs. */
  requestId?: string;
}

export class InvalidNotificationError extends Error {
  readonly code = 'INVALID_NOTIFICATION';
  constructor(detail: string) {
    super(`not an S3 object notification (${detail}): point only S3 event notifications or EventBridge S3 events at this consumer`);
  }
}

const S3Record = z.object({
  // 2.1 is current; 2.2 (replication) and 2.3 (lifecycle, tiering) add fields; 2.0 is what older emulators send.
  eventVersion: z.string().regex(/^2\.\d+$/, 'a 2.x event version'),
  eventTime: z.string(),
  eventName: z.string(),
  userIdentity: z.object({ principalId: z.string() }).optional(),
  responseElements: z.object({ 'x-amz-request-id': z.string().optional() }).optional(),
  s3: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      size: z.number().optional(),
      eTag: z.string().optional(),
      versionId: z.string().nullish(),
      sequencer: z.string().optional(),
    }),
  }),
});
const S3Event = z.object({ Records: z.array(S3Record) });

const EventBridgeEvent = z.object({
  source: z.literal('aws.s3'),
  'detail-type': z.string(),
  time: z.string(),
  detail: z.object({
    bucket: z.object({ name: z.string() }),
    object: z.object({
      key: z.string(),
      size: z.number().optional(),
      etag: z.string().optional(),
      'version-id': z.string().optional(),
      sequencer: z.string().optional(),
    }),
    requester: z.string().optional(),
    'request-id': z.string().optional(),
  }),
});

const SnsNotification = z.object({ Type: z.literal('Notification'), Message: z.string() });

/** Keys arrive form-encoded: "+" is a space, the rest percent-encoded UTF-8 ("red+flower.jpg", "R%C3%B8m%C3%B8.jpg"). */
export function decodeKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    throw new InvalidNotificationError(`the object key ${JSON.stringify(encoded)} is not form-encoded`);
  }
}

/**
 * Orders two sequencers of one key: the greater is the later change. They
 * are hex strings of varying length, compared after left-padding with zeros.
 */
export function compareSequencers(a: string, b: string): number {
  const width = Math.max(a.length, b.length);
  const [left, right] = [a.padStart(width, '0').toUpperCase(), b.padStart(width, '0').toUpperCase()];
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Creations and removals change the bytes; restores, tags, ACLs, replication and transitions do not. */
function changeOf(eventName: string): ObjectNotification['change'] | undefined {
  const name = eventName.replace(/^s3:/, '');
  if (name.startsWith('ObjectCreated:')) return 'created';
  if (name.startsWith('ObjectRemoved:') || name.startsWith('LifecycleExpiration:')) return 'deleted';
  return undefined;
}

const EVENTBRIDGE_CHANGES: Record<string, ObjectNotification['change']> = {
  'Object Created': 'created',
  'Object Deleted': 'deleted',
};

function parse<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`).join('; ');
  throw new InvalidNotificationError(`${what}: ${issues}`);
}

function fromS3Event(value: unknown): ObjectNotification[] {
  return parse(S3Event, value, 'S3 event notification').Records.flatMap((record) => {
    const change = changeOf(record.eventName);
    if (!change) return [];
    const { bucket, object } = record.s3;
    return [
      {
        change,
        bucket: bucket.name,
        key: decodeKey(object.key),
        sequencer: object.sequencer,
        versionId: object.versionId ?? undefined,
        size: object.size,
        eTag: object.eTag,
        time: record.eventTime,
        requester: record.userIdentity?.principalId,
        requestId: record.responseElements?.['x-amz-request-id'],
      },
    ];
  });
}

function fromEventBridge(value: unknown): ObjectNotification[] {
  const event = parse(EventBridgeEvent, value, 'EventBridge S3 event');
  const change = EVENTBRIDGE_CHANGES[event['detail-type']];
  if (!change) return [];
  const { bucket, object, requester } = event.detail;
  return [
    {
      change,
      bucket: bucket.name,
      // EventBridge form-encodes keys as notifications do.
      key: decodeKey(object.key),
      sequencer: object.sequencer,
      versionId: object['version-id'],
      size: object.size,
      eTag: object.etag,
      time: event.time,
      requester,
      requestId: event.detail['request-id'],
    },
  ];
}

/**
 * The object changes in one delivered message: an S3 event (parsed or as the
 * JSON text of an SQS message body), an SNS notification wrapping one, an
 * EventBridge S3 event, or the s3:TestEvent S3 sends when notifications are
 * configured (which holds none).
 */
export function notificationsIn(message: unknown): ObjectNotification[] {
  let value = message;
  if (typeof message === 'string') {
    try {
      value = JSON.parse(message);
    } catch {
      throw new InvalidNotificationError('the message is not JSON');
    }
  }
  if (typeof value !== 'object' || value === null) throw new InvalidNotificationError('the message is not a JSON object');
  if ('Records' in value) return fromS3Event(value);
  if ('detail-type' in value) return fromEventBridge(value);
  if ('Type' in value) return notificationsIn(parse(SnsNotification, value, 'SNS notification').Message);
  if ('Event' in value && value.Event === 's3:TestEvent') return [];
  throw new InvalidNotificationError('it has no Records, detail-type, SNS Message or s3:TestEvent');
}
