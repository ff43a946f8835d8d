import type { Subscription } from './eventLog';

/** The subscriptions a log has handed out and not yet seen stopped: closing the log stops them all. */
export class OpenSubscriptions {
  private readonly open = new Set<Subscription>();

  /** A subscription that runs `stop` once asked, and is forgotten then. */
  track(stop: () => Promise<void>): Subscription {
    const subscription = {
      stop: async () => {
        await stop();
        this.open.delete(subscription);
      },
    };
    this.open.add(subscription);
    return subscription;
  }

  async stopAll(): Promise<void> {
    await Promise.all([...this.open].map((s) => s.stop()));
  }
}
