import type { AuditEntry } from './auditTrail';

/** The columns of an audit export (CSV, table), in order, and how each is read from an entry. */
export const AUDIT_COLUMNS: [string, (entry: AuditEntry) => unknown][] = [
  ['time', (e) => e.time],
  ['asset_id', (e) => e.assetId],
  ['asset_version', (e) => e.assetVersion],
  ['type', (e) => e.type],
  ['actor', (e) => e.actor],
  ['source', (e) => e.source],
  ['event_id', (e) => e.eventId],
  ['correlation_id', (e) => e.correlationId],
  ['causation_id', (e) => e.causationId],
  ['log_partition', (e) => e.partition],
  ['log_offset', (e) => e.offset],
  ['payload', (e) => e.payload],
];

export function auditRows(entries: AuditEntry[]): unknown[][] {
  return entries.map((entry) => AUDIT_COLUMNS.map(([, read]) => read(entry)));
}

export const auditColumnNames = () => AUDIT_COLUMNS.map(([name]) => name);
