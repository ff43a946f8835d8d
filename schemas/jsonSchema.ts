import { createHash } from 'node:crypto';
import { z } from 'zod';
import { AssetEventSchema } from './envelope';
import { currentVersions } from './events';

/** The envelope and every event type as JSON Schema, for consumers in other languages. */
export function eventJsonSchema(): object {
  return z.toJSONSchema(AssetEventSchema, { target: 'draft-2020-12', unrepresentable: 'any' });
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
