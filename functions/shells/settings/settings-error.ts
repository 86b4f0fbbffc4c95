// A setting of the function app that is missing or malformed. The message names every
// setting at fault and the form it takes, never a value.
export class SettingsError extends Error {
  readonly code = 'SETTINGS_INVALID';
  constructor(section: 'app settings' | 'notify settings', problems: readonly string[]) {
    super(`invalid ${section}: ${problems.join('; ')}`);
    this.name = 'SettingsError';
  }
}
