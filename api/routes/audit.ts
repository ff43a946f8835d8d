import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { access, onAuditLog } from '../access/accessControl';
import { z } from 'zod';
import type { Lake } from '../../app/lake';
import { NoHashChainError, verifyAndRecord } from '../../app/chainVerification';
import { ChainKeyMissingError } from '../../log/chainKey';
import type { ChainReport } from '../../log/hashChain';
import { AuditQuery, type AuditEntry, type AuditPage } from '../../projections/audit/auditTrail';
import { auditColumnNames, auditRows } from '../../projections/audit/auditColumns';
import { toCsv } from '../../projections/audit/csv';
import { errorResponse, HttpError } from '../errors';

/**
 * A page of the trail as JSON: AuditPage (projections/audit/auditTrail.ts),
 * field for field. `satisfies` holds the two together: a field the trail
 * gains and the schema lacks fails the typecheck here, where the answer's
 * serializer would silently drop it.
 */
const AuditPageAnswer = z.object({
  entries: z.array(
    z.object({
      eventId: z.string(),
      time: z.string().describe('UTC, ISO 8601'),
      assetId: z.string(),
      assetVersion: z.number().int(),
      type: z.string().describe('the event type: AssetIngested, UserMetadataUpdated, …'),
      actor: z.string(),
      source: z.string(),
      correlationId: z.string(),
      causationId: z.string().nullable(),
      partition: z.string(),
      offset: z.string(),
      payload: z.record(z.string(), z.unknown()).describe('the payload, with long vectors summarised'),
    } satisfies Record<keyof AuditEntry, z.ZodType>),
  ),
  next: z.string().optional().describe('the cursor of the next page (`after`); absent on the last'),
} satisfies Record<keyof AuditPage, z.ZodType>);

/** The audit trail (a projection, so the same on every log backend) and the log's hash chain. */
export const auditRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/audit',
      {
        config: access('readAudit', onAuditLog),
        schema: {
          operationId: 'queryAudit',
          summary:
            'Who did what to which asset, when and from where: filter by asset, actor, type (comma-separated), source (a prefix ends in *), ' +
            'from/to (UTC; a date as `to` includes its day); paged by cursor (`next`, or the X-Next-Cursor header for CSV). ' +
            'format=csv (or Accept: text/csv) answers CSV.',
          querystring: AuditQuery.extend({ format: z.enum(['json', 'csv']).optional() }).strict(),
          response: {
            200: {
              description: 'A page of the trail: JSON, or CSV (format=csv, or Accept: text/csv) with the next cursor in X-Next-Cursor (absent on the last page)',
              content: {
                'application/json': { schema: AuditPageAnswer },
                'text/csv': { schema: z.string().describe('RFC 4180: a header row (time, asset_id, …, payload), then one row per entry, its payload as JSON') },
              },
            },
          },
        },
      },
      async (request, reply) => {
        const { format, ...query } = request.query;
        const page = await lake.audit.query(query);
        const csv = format === 'csv' || (!format && request.headers.accept?.includes('text/csv'));
        if (!csv) return page;
        if (page.next) reply.header('x-next-cursor', page.next);
        return reply.type('text/csv; charset=utf-8').send(toCsv(auditColumnNames(), auditRows(page.entries)));
      },
    );

    app.get(
      '/audit/verify',
      {
        config: access('readAudit', onAuditLog),
        schema: {
          operationId: 'verifyAudit',
          summary:
            "Checks the log's hash chain (per partition on the embedded log, per asset on Kafka and Kinesis, against the heads Redis keeps): " +
            'every edited, deleted, inserted or reordered event, by partition and offset. Reads the whole log; ' +
            'the result shows in /status and /health until the next check.',
          response: {
            200: z.object({
              intact: z.boolean().describe('no partition has a break'),
              partitions: z.array(z.custom<ChainReport>()).describe('per partition: its events, its head, and each break found'),
            }),
            409: errorResponse('The lake keeps no hash chain (NO_HASH_CHAIN), or this server lacks the keyring the log was signed with (CHAIN_KEY_MISSING)'),
          },
        },
      },
      async () => {
        // Neither is the server failing: the lake keeps no chain, or this server lacks the keyring the log was signed with.
        const partitions = await verifyAndRecord(lake).catch((error: unknown) => {
          if (error instanceof NoHashChainError || error instanceof ChainKeyMissingError) throw new HttpError(409, error.code, error.message);
          throw error;
        });
        return { intact: partitions.every((p) => !p.breaks.length), partitions };
      },
    );
  };
