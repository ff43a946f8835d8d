import { Writable } from 'node:stream';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqsClient, SqsMessageQueue } from '../../producers/sqsQueue';
import { engineAvailable } from '../engines/availability';
import { sqsPresent, startSqs, type SqsEngine } from '../engines/sqs';
import { waitFor } from '../support/waitFor';

const present = engineAvailable('ElasticMQ (SQS)', sqsPresent(), 'run .ci/engines/elasticmq.sh from the repo root');

/** A pino logger whose lines land in `lines`, to see what an operator would read. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: pino({ level: 'warn' }, stream) };
}

describe.skipIf(!present)('an SQS queue (on ElasticMQ) as the poller reads it', () => {
  let engine: SqsEngine;
  let sqs: ReturnType<typeof createSqsClient>;
  const opened: SqsMessageQueue[] = [];
  let queues = 0;

  beforeAll(async () => {
    engine = await startSqs();
    sqs = createSqsClient(engine.client);
  }, 60_000);

  afterAll(async () => {
    for (const queue of opened) queue.close();
    sqs?.destroy();
    await engine?.stop();
  });

  /** A fresh queue per test, so no test sees another's messages. */
  async function openQueue(options: { visibilityTimeoutSeconds?: number; waitSeconds?: number } = {}) {
    const queueUrl = await engine.createQueue(`queue-${++queues}`, options);
    const { logger, lines } = capturingLogger();
    const queue = new SqsMessageQueue({ ...engine.client, queueUrl, logger, waitSeconds: options.waitSeconds ?? 1 });
    opened.push(queue);
    const send = async (body: string) => (await sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }))).MessageId!;
    const waiting = async () => {
      const { Attributes = {} } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }),
      );
      return Number(Attributes.ApproximateNumberOfMessages) + Number(Attributes.ApproximateNumberOfMessagesNotVisible);
    };
    return { queue, lines, send, waiting };
  }

  it('receives what was sent, with its body, and deleted messages are gone from the queue', async () => {
    const { queue, send, waiting } = await openQueue();
    const bodies = Array.from({ length: 12 }, (_, i) => JSON.stringify({ n: i, text: 'Grüße, 写真' }));
    const ids = await Promise.all(bodies.map(send));

    const received: Awaited<ReturnType<typeof queue.receive>> = [];
    while (received.length < ids.length) {
      const batch = await queue.receive(25, new AbortController().signal);
      expect(batch.length).toBeLessThanOrEqual(10);
      received.push(...batch);
    }
    expect(received.map((m) => m.id).sort()).toEqual([...ids].sort());
    expect(received.map((m) => m.body).sort()).toEqual([...bodies].sort());

    await queue.delete(received);
    expect(await waiting()).toBe(0);
    expect(await queue.receive(10, new AbortController().signal)).toEqual([]);
  });

  it('delivers a message that was not deleted again once its visibility timeout passes', async () => {
    const { queue, send } = await openQueue({ visibilityTimeoutSeconds: 1 });
    const id = await send('not deleted');
    const [first] = await queue.receive(10, new AbortController().signal);
    expect(first).toMatchObject({ id, body: 'not deleted' });

    let again: Awaited<ReturnType<typeof queue.receive>> = [];
    await waitFor('the message to come back', async () => (again = await queue.receive(10, new AbortController().signal)).length > 0, 10_000);
    expect(again).toMatchObject([{ id, body: 'not deleted' }]);
    // Each delivery has its own receipt: the latest one deletes it.
    expect(again[0]!.receipt).not.toBe(first!.receipt);
  });

  it('answers an empty long poll with no messages and no error', async () => {
    const { queue } = await openQueue({ waitSeconds: 1 });
    await expect(queue.receive(10, new AbortController().signal)).resolves.toEqual([]);
  });

  it('stops a waiting receive as soon as it is aborted', async () => {
    const { queue } = await openQueue({ waitSeconds: 20 });
    const stopping = new AbortController();
    const receiving = queue.receive(10, stopping.signal);
    setTimeout(() => stopping.abort(), 200);
    // The test's own timeout (5 s) is far below the 20 s long poll.
    await expect(receiving).rejects.toMatchObject({ name: 'AbortError' });
  }, 5_000);

  it('logs the messages a batch delete could not delete, and deletes the rest', async () => {
    const { queue, lines, send, waiting } = await openQueue();
    const id = await send('to delete');
    const received = await queue.receive(10, new AbortController().signal);
    const stale = { id: 'message-gone', body: '', receipt: 'not-a-receipt-handle' };

    await queue.delete([stale, ...received]);

    expect(received.map((m) => m.id)).toEqual([id]);
    expect(await waiting()).toBe(0);
    expect(lines).toMatchObject([{ level: 40, messageId: 'message-gone', code: expect.any(String), msg: expect.stringContaining('did not delete') }]);
  });
});
