// A testing aid (SMS_LOG_FILE): every text that was sent is also appended to a file as
// one JSON line, {"to": ..., "body": ...}, so that people and end-to-end tests can read
// what went out. The file holds phone numbers: it is meant for local runs.
import { appendFile } from 'node:fs/promises';
import type { SmsSender } from './sms-sender.js';

export function alsoAppendToFile(sender: SmsSender, file: string): SmsSender {
  return {
    name: sender.name,
    async send(to, body, recipientIndex, context) {
      const sent = await sender.send(to, body, recipientIndex, context);
      await appendFile(file, `${JSON.stringify({ to, body })}\n`);
      return sent;
    },
  };
}
