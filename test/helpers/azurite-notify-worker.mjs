// One notify "instance" in its own process, for test/sms/flood.test.ts: the built
// notify handler with its state in the Azurite named by AzureWebJobsStorage, fed the
// queue messages in MESSAGES; a message that fails ("busy": the other instance is
// sending the same text) is retried, as the queue would.
import { loadFloodSettings, loadNotifySettings } from '../../dist/functions/shells/settings/notify-settings.js';
import { createNotifyHandler } from '../../dist/functions/shells/sms/notify-handler.js';
import { alsoAppendToFile } from '../../dist/functions/shells/sms/sms-log-file.js';
import {
  connectStateTable,
  createTableBudget,
  createTableDuplicateFilter,
} from '../../dist/functions/shells/sms/table-state.js';

const settings = loadNotifySettings(process.env);
const flood = loadFloodSettings(process.env);
const rows = connectStateTable(flood.storage);
const quiet = { name: 'console', send: async () => ({ sid: 'worker' }) };
const notify = createNotifyHandler({
  settings,
  sender: alsoAppendToFile(quiet, settings.smsLogFile),
  duplicates: createTableDuplicateFilter(rows, settings.duplicateWindowMs),
  budget: createTableBudget(rows, flood),
});
const context = { log() {}, warn() {}, error() {}, triggerMetadata: {} };
for (const message of JSON.parse(process.env.MESSAGES)) {
  for (let attempt = 1; ; attempt++) {
    try {
      await notify(message, context);
      break;
    } catch (error) {
      if (attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
