import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { access, onAuditLog } from '../access/accessControl';
import { z } from 'zod';
import type { Lake } from '../../app/lake';
import { NoHashChainError, verifyAndRecord } from '../../app/chainVerification';
import { ChainKeyMissingError } from '../../log/chainKey';
import type { ChainReport } from '../../log/hashChain';
import { AuditQuery } from '../../projections/audit/auditTrail';
import { auditColumnNames, auditRows } from '../../projections/audit/auditColumns';
import { toCsv } from '../../projections/audit/csv';
import { errorResponse, HttpError } from '../errors';

/** The audit trail (a projection, so the same on every log backend) and the log's hash chain. */
export const auditRoutes =
  (lake: Lake): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/audit',
      {
        config: access('readAudit', onAuditLog),
        schema: {
          summary:
            'Who did what to which asset, when and from where: filter by asset, actor, type (comma-separated), source (a prefix ends in *), ' +
            'from/to (UTC; a date as `to` includes its day); paged by cursor (`next`, or the X-Next-Cursor header for CSV). ' +
            'format=csv (or Accept: text/csv) answers CSV.',
          querystring: AuditQuery.extend({ format: z.enum(['json', 'csv']).optional() }).strict(),
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
