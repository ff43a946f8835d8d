import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidNotificationError, compareSequencers, decodeKey, notificationsIn } from '../../producers/s3EventRecords';

const sample = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../fixtures/s3-events/${name}`, import.meta.url), 'utf8'));

describe('S3 notification payloads', () => {
  it('reads an ObjectCreated:Put record (eventVersion 2.1) with a form-encoded Unicode key', () => {
    expect(notificationsIn(sample('object-created-put.json'))).toEqual([
      {
        change: 'created',
        bucket: 'media-uploads',
        key: 'photos/2024/red flower – Rømø.jpg',
        sequencer: '0055AED6DCD90281E5',
        size: 1024318,
        eTag: 'd41d8cd98f00b204e9800998ecf8427e',
        time: '2024-05-01T10:15:30.123Z',
        requester: 'AWS:AIDAJDPLRKLG7UEXAMPLE',
        requestId: 'C3D13FE58DE4C810',
      },
    ]);
  });

  it('reads a multipart upload: its ETag ends in the part count, its key holds encoded "+", "#" and brackets', () => {
    expect(notificationsIn(sample('object-created-multipart.json'))).toMatchObject([
      {
        change: 'created',
        key: 'videos/Interview #1 (take 2)++.mov',
        eTag: '9b2cf535f27731c974343645a3985328-3',
        size: 157286400,
        versionId: '3HL4kqtJlcpXroDTDmjVBH40Nrjfkd',
      },
    ]);
  });

  it('reads removals: a delete marker, and a lifecycle expiration (eventVersion 2.3)', () => {
    expect(notificationsIn(sample('object-removed-delete-marker.json'))).toMatchObject([
      { change: 'deleted', key: 'photos/2024/red flower – Rømø.jpg', versionId: '1s4x0yvT2lbH9Xb4Ad0XWzKMEaQ1gEeL' },
    ]);
    expect(notificationsIn(sample('lifecycle-expiration-v2.3.json'))).toMatchObject([
      { change: 'deleted', key: 'incoming/old scan.tif', sequencer: '00620E2D6E2A1E00A1' },
    ]);
  });

  it('finds no change in a replication event (eventVersion 2.2) or in the s3:TestEvent', () => {
    expect(notificationsIn(sample('replication-v2.2.json'))).toEqual([]);
    expect(notificationsIn(sample('test-event.json'))).toEqual([]);
  });

  it('unwraps an SNS notification and reads an SQS message body as text', () => {
    const expected = notificationsIn(sample('object-created-put.json'));
    expect(notificationsIn(sample('sns-notification.json'))).toEqual(expected);
    expect(notificationsIn(JSON.stringify(sample('sns-notification.json')))).toEqual(expected);
    const [put, test] = (sample('lambda-sqs-batch.json') as { Records: { body: string }[] }).Records;
    expect(notificationsIn(put!.body)).toEqual(expected);
    expect(notificationsIn(test!.body)).toEqual([]);
  });

  it('reads EventBridge "Object Created" and "Object Deleted" events', () => {
    expect(notificationsIn(sample('eventbridge-object-created.json'))).toEqual([
      {
        change: 'created',
        bucket: 'media-uploads',
        key: 'photos/2024/red flower – Rømø.jpg',
        sequencer: '617f08299329d189',
        versionId: 'IYV3p45BT0ac8hjHg1houSdS1a.Mro8e',
        size: 1024318,
        eTag: 'd41d8cd98f00b204e9800998ecf8427e',
        time: '2024-05-01T10:15:30Z',
        requester: '111122223333',
        requestId: 'N4N7GDK58NMKJ12R',
      },
    ]);
    expect(notificationsIn(sample('eventbridge-object-deleted.json'))).toMatchObject([
      { change: 'deleted', key: 'photos/2024/red flower – Rømø.jpg', sequencer: '617f0837b476e463' },
    ]);
  });

  it('says what is wrong with a message that is not an S3 notification', () => {
    expect(() => notificationsIn('{"Records": [{"eventVersion": "2.1"}]}')).toThrow(InvalidNotificationError);
    expect(() => notificationsIn('{"Records": [{"eventVersion": "2.1"}]}')).toThrow(/Records\.0\.eventTime/);
    expect(() => notificationsIn('<xml/>')).toThrow(/not JSON/);
    expect(() => notificationsIn({ hello: 'world' })).toThrow(/no Records, detail-type, SNS Message or s3:TestEvent/);
    expect(() => decodeKey('100%.jpg')).toThrow(/not form-encoded/);
  });
});

describe('S3 keys and sequencers', () => {
  it('decodes "+" as a space before percent-decoding, so an encoded "+" survives', () => {
    expect(decodeKey('my+photo+%2B+caf%C3%A9.jpg')).toBe('my photo + café.jpg');
    expect(decodeKey('a%2Fb%3Dc%3F.png')).toBe('a/b=c?.png');
  });

  it('orders sequencers of different lengths as hex numbers', () => {
    expect(compareSequencers('0055AED6DCD90281E5', '0055AED6DCD90281F0')).toBe(-1);
    expect(compareSequencers('FF', '0100')).toBe(-1); // 255 < 256 once padded
    expect(compareSequencers('617f0837b476e463', '617F08299329D189')).toBe(1);
    expect(compareSequencers('0A', 'a')).toBe(0);
  });
});
