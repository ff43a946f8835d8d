import { z } from 'zod';
import { AssetEventSchema } from './envelope';

/** The envelope and every event type as JSON Schema, for consumers in other languages. */
export function eventJsonSchema(): object {
  return z.toJSONSchema(AssetEventSchema, { target: 'draft-2020-12', unrepresentable: 'any' });
}
