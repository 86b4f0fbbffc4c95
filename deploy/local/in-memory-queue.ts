// DEVELOPMENT ONLY. A stand-in for the Azure Storage queue's retry behaviour, for the
// resilience suite (test/resilience/sms-recovery), which replays hundreds of retries
// in seconds: messages are JSON-copied like the real queue, delivered one at a time,
// retried like the host does (maxDequeueCount), and reported when they would land on
// the poison queue. npm start uses the real queue protocol on Azurite (storage-queue.ts).
export type QueueConsumer = (message: unknown, dequeueCount: number) => Promise<void>;

export interface InMemoryQueue {
  enqueue(messages: readonly unknown[]): void;
  /** Resolves when every message so far has been handled (or given up). */
  drained(): Promise<void>;
}

export function createInMemoryQueue(
  consume: QueueConsumer,
  options: { maxDequeueCount: number; retryDelayMs: number; onPoison: (message: unknown) => void },
): InMemoryQueue {
  const pending: { body: string; dequeueCount: number }[] = [];
  let running: Promise<void> | undefined;

  async function work(): Promise<void> {
    for (let item = pending.shift(); item; item = pending.shift()) {
      const attempt = item.dequeueCount + 1;
      try {
        await consume(JSON.parse(item.body), attempt);
      } catch {
        // notify logged why; the host would make the message visible again later.
        if (attempt >= options.maxDequeueCount) options.onPoison(JSON.parse(item.body));
        else {
          await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
          pending.push({ body: item.body, dequeueCount: attempt });
        }
      }
    }
    running = undefined;
  }

  return {
    enqueue(messages) {
      for (const message of messages) pending.push({ body: JSON.stringify(message), dequeueCount: 0 });
      running ??= work();
    },
    drained: async () => {
      while (running) await running;
    },
  };
}
