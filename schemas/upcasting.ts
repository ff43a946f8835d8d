import { currentVersions, type EventType } from './events';

/**
 * History is never rewritten (law 6): an event stays as it was stored, and is
 * read as the current version by running it through each upcaster from its
 * version to the current one.
 */
type Upcaster = (payload: Record<string, unknown>) => Record<string, unknown>;

/** upcasters[type][n] turns version n into n + 1. */
const upcasters: Partial<Record<EventType, Record<number, Upcaster>>> = {
  AssetIngested: {
    // v1 recorded only the path the file was read from; v2 says which producer saw it.
    1: ({ sourcePath, ...rest }) => ({
      ...rest,
      origin: typeof sourcePath === 'string' ? { kind: 'directory', path: sourcePath } : { kind: 'upload' },
    }),
  },
};

export interface VersionedEvent {
  type: EventType;
  schemaVersion: number;
  payload: unknown;
}

export function upcast<E extends VersionedEvent>(event: E): E {
  const target = currentVersions[event.type];
  if (target === undefined || event.schemaVersion >= target) return event;
  let payload = event.payload as Record<string, unknown>;
  for (let version = event.schemaVersion; version < target; version++) {
    const step = upcasters[event.type]?.[version];
    if (!step) throw new Error(`no upcaster for ${event.type} v${version} → v${version + 1}`);
    payload = step(payload);
  }
  return { ...event, schemaVersion: target, payload };
}
