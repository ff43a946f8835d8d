import { describe, expect, it } from 'vitest';
import { checkDrafts, decodeEvent, encodeEvent } from '../../log/eventRecord';
import { GENESIS } from '../../log/hashChain';
import { InvalidEventError, type AssetEvent, type EventDraft } from '../../schemas/envelope';
import { eventSchemaId } from '../../schemas/jsonSchema';
import { editDraft, ingestedDraft, v1IngestPayload } from '../support/events';

const LIMIT = 1_000_000;
/** A record as a partitioned log holds it: the event with its version and hash. */
const recordOf = (draft: EventDraft, schemaId?: string) => ({
  data: encodeEvent({ ...draft, assetVersion: 1, hash: GENESIS } as never),
  partition: '0',
  offset: '7',
  schemaId,
});

/** An AssetIngested as the first schema wrote it. */
const v1Ingest = (): EventDraft => ({ ...ingestedDraft('asset-old'), schemaVersion: 1, payload: v1IngestPayload('asset-old', '/archive/photo.jpg') }) as never;

describe('event records of the partitioned logs', () => {
  it('writes what validation gives back: fields the schema does not know are left out', () => {
    const draft = ingestedDraft('asset-a');
    const [checked] = checkDrafts([{ ...draft, note: 'not a field', payload: { ...draft.payload, extra: 1 } } as never], LIMIT);
    expect(checked).toStrictEqual(draft);
  });

  it('refuses a draft whose record, at the widest version and with a hash, would be over the limit, counting bytes', () => {
    const draft = editDraft('asset-a', 'Ærøskøbing harbour, 東京');
    const widest = encodeEvent({ ...checkDrafts([draft], LIMIT)[0]!, assetVersion: Number.MAX_SAFE_INTEGER, hash: GENESIS } as AssetEvent & { hash: string }).length;
    expect(checkDrafts([draft], widest)).toHaveLength(1);
    expect(() => checkDrafts([draft], widest - 1)).toThrow(`is ${widest} bytes, over the log's ${widest - 1}-byte record limit`);
  });

  it("reads a record stamped with this build's schema id as validating it would, without the hash", () => {
    for (const draft of checkDrafts([ingestedDraft('asset-a'), editDraft('asset-a', 'a title')], LIMIT)) {
      const stamped = decodeEvent(recordOf(draft, eventSchemaId()));
      expect(stamped).toStrictEqual(decodeEvent(recordOf(draft)));
      expect(stamped).toStrictEqual({ ...draft, assetVersion: 1, partition: '0', offset: '7' });
    }
  });

  it('takes a stamped record as its writer validated it, and validates and upcasts any other', () => {
    const refused = { ...ingestedDraft('asset-a'), actor: '' };
    // Only a writer with this schema stamps it, having refused such an event: the reader does not look again.
    expect(decodeEvent(recordOf(refused, eventSchemaId()))).toMatchObject({ actor: '' });
    expect(() => decodeEvent(recordOf(refused))).toThrow(InvalidEventError);
    expect(() => decodeEvent(recordOf(refused, 'another-build'))).toThrow(/actor/);
    // Another build's record, at an older version: upcast as any record of the log.
    expect(decodeEvent(recordOf(v1Ingest(), 'another-build'))).toMatchObject({
      schemaVersion: 2,
      payload: { origin: { kind: 'directory', path: '/archive/photo.jpg' } },
    });
  });
});
