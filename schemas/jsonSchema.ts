import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AssetEventSchema } from './envelope';
import { currentVersions } from './events';

/**
 * Where an event read back from the log sits there (schemas/envelope.ts
 * LogPosition): `medialake events --json`, GET /assets/:id/events and the
 * audit trail give it; an event not yet placed has none.
 */
const logPosition = {
  partition: z.string().optional().describe("the log partition the event sits in; opaque, the backend's"),
  offset: z.string().optional().describe("the event's offset in its partition; opaque, the backend's"),
};

/**
 * The envelope and every event type as JSON Schema, for consumers in other
 * languages: as the lake gives events out, with their place in the log
 * (partition and offset, optional) beside the envelope's fields.
 */
export function eventJsonSchema(): object {
  const stored = z.discriminatedUnion(
    'type',
    AssetEventSchema.options.map((event) => event.extend(logPosition)) as never as [z.ZodObject, ...z.ZodObject[]],
  );
  return z.toJSONSchema(stored, { target: 'draft-2020-12', unrepresentable: 'any' });
}

let schemaId: string | undefined;

/**
 * Names the event schema this build validates against: a digest of its JSON
 * Schema and its current versions, the same in every process of one build
 * and different wherever a field, a limit or a version differs. A writer
 * stamps it on records it validated (log/eventRecord.ts), so that a reader
 * holding the same schema need not validate them again.
 */
export function eventSchemaId(): string {
  return (schemaId ??= createHash('sha256')
    .update(JSON.stringify({ versions: currentVersions, schema: eventJsonSchema() }))
    .digest('base64url')
    .slice(0, 22));
}
