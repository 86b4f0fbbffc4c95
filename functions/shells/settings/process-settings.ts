// The function app's settings, read from process.env once per process and shared by
// both functions. Each group is parsed on first use, so a bad Twilio setting cannot
// stop the admission function from starting.
import { loadSettings, type Settings } from './admission-settings.js';
import { loadNotifySettings, type NotifySettings } from './notify-settings.js';

let admission: Settings | undefined;
let notify: NotifySettings | undefined;

/** Throws SettingsError naming every bad setting. */
export function admissionSettings(): Settings {
  admission ??= loadSettings(process.env);
  return admission;
}

/** Throws SettingsError naming every bad setting. */
export function notifySettings(): NotifySettings {
  notify ??= loadNotifySettings(process.env);
  return notify;
}
