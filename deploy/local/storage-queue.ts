// DEVELOPMENT ONLY. The SMS queue of the development host, on Azurite, read and
// written as the Functions host does it: messages base64-encoded (host.json
// messageEncoding), JSON content handed to the function parsed, retried after a
// failure until maxDequeueCount, then moved to `<queue>-poison` with a log line.
// One message at a time, so texts leave in the order admission wrote them.
import { QueueClient } from '@azure/storage-queue';

export type QueueConsumer = (message: unknown, dequeueCount: number) => Promise<void>;

export interface StorageQueue {
  enqueue(messages: readonly unknown[]): Promise<void>;
  /** Stops polling once the message in hand is done. */
  stop(): Promise<void>;
}

export interface QueueOptions {
  readonly connectionString: string;
  readonly queueName: string;
  readonly maxDequeueCount: number;
  /** How long a failed message stays invisible before its retry (the host: visibilityTimeout). */
  readonly retryDelaySeconds: number;
  readonly onPoison: (dequeueCount: number) => void;
}

const pollMs = 100;

export async function openStorageQueue(consume: QueueConsumer, options: QueueOptions): Promise<StorageQueue> {
  const queue = new QueueClient(options.connectionString, options.queueName);
  const poison = new QueueClient(options.connectionString, `${options.queueName}-poison`);
  await Promise.all([queue.createIfNotExists(), poison.createIfNotExists()]);
  let running = true;

  async function handleNext(): Promise<boolean> {
    const [item] = (await queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 60 })).receivedMessageItems;
    if (!item) return false;
    const text = Buffer.from(item.messageText, 'base64').toString('utf8');
    try {
      await consume(decode(text), item.dequeueCount);
      await queue.deleteMessage(item.messageId, item.popReceipt);
    } catch {
      // notify logged why. The host makes the message visible again, or gives it up.
      if (item.dequeueCount >= options.maxDequeueCount) {
        await poison.sendMessage(item.messageText);
        await queue.deleteMessage(item.messageId, item.popReceipt);
        options.onPoison(item.dequeueCount);
      } else {
        await queue.updateMessage(item.messageId, item.popReceipt, undefined, options.retryDelaySeconds);
      }
    }
    return true;
  }

  const loop = (async () => {
    while (running) {
      const handled = await handleNext().catch((error: unknown) => {
        console.error(`[queue] ${error instanceof Error ? error.message : 'queue read failed'}`);
        return false;
      });
      if (!handled) await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  })();

  return {
    async enqueue(messages) {
      for (const message of messages)
        await queue.sendMessage(Buffer.from(JSON.stringify(message), 'utf8').toString('base64'));
    },
    async stop() {
      running = false;
      await loop;
    },
  };
}

/** As the host hands a queue message to a JavaScript function: parsed when it is JSON. */
function decode(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
