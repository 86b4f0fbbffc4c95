// The environment of the local stack, read once with the kernel's settings parser: one
// table for npm start (start-stack.ts) and one for the development function host. A
// bad value stops start-up with the variable's name and the form it takes, never the
// value. The function app and the proxy read their own settings from what is passed on.
import { z } from 'zod';
import {
  clusterNameForm,
  clusterNamePattern,
  parseSettings,
  type SettingSpecs,
  type SettingValues,
  wholeNumber,
} from '../../functions/core/index.js';

const port = (fallback: string) => ({ schema: wholeNumber(1, 65535), form: 'a port number from 1 to 65535', fallback });

export const stackSettingSpecs = {
  FUNCTIONS_PORT: port('7071'),
  PROXY_PORT: port('8443'),
  PROXY_HEALTH_PORT: port('9090'),
  /** Unset: .local in the repository. */
  LOCAL_STATE_DIR: { schema: z.string().min(1), form: 'a directory path' },
  CLUSTER_NAME: { schema: z.string().regex(clusterNamePattern), form: clusterNameForm, fallback: 'local' },
  // The proxy's levels (proxy/config.ts), checked here too so a typo stops npm start at once.
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug']),
    form: 'fatal, error, warn, info or debug',
    fallback: 'info',
  },
} as const satisfies SettingSpecs;

export const devHostSettingSpecs = {
  PORT: port('7071'),
  // The Azurite that npm start runs; its connection string names its ports.
  AzureWebJobsStorage: { schema: z.string().min(1), form: 'a storage connection string (npm start sets it)' },
} as const satisfies SettingSpecs;

/** The settings, or, when any is bad, a message naming each bad one and an exit with code 2. */
export function readSettingsOrExit<S extends SettingSpecs>(
  specs: S,
  env: Readonly<Record<string, string | undefined>>,
  who: string,
): SettingValues<S> {
  const parsed = parseSettings(specs, env);
  if ('values' in parsed) return parsed.values;
  console.error(`${who}: SETTINGS_INVALID: ${parsed.problems.join('; ')}`);
  process.exit(2);
}
