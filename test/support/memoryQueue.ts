import { setTimeout as sleep } from 'node:timers/promises';
import type { MessageQueue } from '../../producers/sqsPoller';

/**
 * The SQS semantics the poller relies on, in memory, so a poller test can
 * count each message's deliveries exactly and run redelivery in milliseconds.
 * The real queue (ElasticMQ) is tested in test/producers/sqsQueue.test.ts and
 * end to end in test/app/awsLake.test.ts. A received message is hidden until
 * deleted or until its visibility timeout passes, then delivered again;
 * receive waits a little for messages, as long polling does.
 */
export class MemoryQueue implements MessageQueue {
  private readonly messages = new Map<string, { body: string; visibleAt: number; receives: number }>();
  private next = 0;
  constructor(private readonly visibilityMs: number) {}

  send(body: unknown): string {
    const id = `message-${++this.next}`;
    this.messages.set(id, { body: JSON.stringify(body), visibleAt: 0, receives: 0 });
    return id;
  }

  receivesOf(id: string): number {
    return this.messages.get(id)?.receives ?? 0;
  }

  get size(): number {
    return this.messages.size;
  }

  async receive(max: number, signal: AbortSignal) {
    for (let waited = 0; waited < 200 && !signal.aborted; waited += 10) {
      const now = Date.now();
      const visible = [...this.messages].filter(([, m]) => m.visibleAt <= now).slice(0, max);
      if (visible.length) {
        return visible.map(([id, message]) => {
          message.visibleAt = now + this.visibilityMs;
          message.receives++;
          return { id, body: message.body, receipt: `${id}#${message.receives}` };
        });
      }
      await sleep(10);
    }
    return [];
  }

  async delete(messages: { id: string }[]) {
    for (const { id } of messages) this.messages.delete(id);
  }
}
