// A setting of the function app that is missing or malformed. The message names every
// setting at fault and the form it takes, never a value.
import type { ErrorCode } from '../../core/index.js';

export class SettingsError extends Error {
  readonly code = 'SETTINGS_INVALID' satisfies ErrorCode;
  constructor(section: 'app settings' | 'notify settings', problems: readonly string[]) {
    super(`invalid ${section}: ${problems.join('; ')}`);
    this.name = 'SettingsError';
  }
}
