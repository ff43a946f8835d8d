import { api, answer } from './client';

/** Asks processors to run on the asset again (a ReprocessRequested on the log); the request's event id. */
export const reprocess = (assetId: string, processors: string[], reason: string) =>
  answer<{ eventId: string }>(api.POST('/assets/{id}/reprocess', { params: { path: { id: assetId } }, body: { processors, reason } })).then(
    (answered) => answered.eventId,
  );

/** A processor's name from how failures and dead letters name it: processor:<name>, with @<version> on failures. */
export const processorName = (named: string) => named.replace(/^processor:/, '').replace(/@.*$/, '');
