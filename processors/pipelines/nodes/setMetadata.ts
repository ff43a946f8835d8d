import { z } from 'zod';
import type { NodeType } from '../node';

const Parameters = z
  .strictObject({
    title: z.string().max(500).optional(),
    description: z.string().max(10_000).optional(),
    tags: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
  })
  .refine((p) => Object.keys(p).length > 0, { message: 'set at least one of title, description, tags' });

/** Sets user metadata (title, description, tags) as the definition gives it. */
export const setMetadataNode: NodeType<z.infer<typeof Parameters>> = {
  type: 'set-metadata',
  description: 'sets the title, description or tags',
  parameters: Parameters,
  needs: [],
  gives: [],
  outputs: [],
  async run(parameters) {
    return { events: [{ type: 'UserMetadataUpdated', payload: parameters }] };
  },
};
