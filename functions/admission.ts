// Registers the `admission` HTTP function: POST /api/admission, function key required.
import { app } from '@azure/functions';
import { loadSettings } from './config/settings.js';
import { createAdmissionHandler } from './http/admission-handler.js';

const settings = loadSettings(process.env);

export const admission = createAdmissionHandler({
  settings,
  now: () => new Date(),
  sendNotifications: () => {},
});

app.http('admission', { methods: ['POST'], authLevel: 'function', route: 'admission', handler: admission });
