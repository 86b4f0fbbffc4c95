// App settings, read once at start-up into a frozen object. A missing or malformed
// setting stops start-up with a message naming the setting and the form it takes,
// never its value.
import { z } from 'zod';
import { clusterNameForm, clusterNamePattern } from './cluster-name.js';

export interface Settings {
  /** MIN_REPLICAS: the fewest replicas a Deployment may run. */
  readonly minReplicas: number;
  /** CLUSTER_NAME: the cluster named in texts when the proxy does not send one. */
  readonly clusterName: string | undefined;
}

/** Thrown at start-up; the message names the setting, never its value. */
export class SettingsError extends Error {
  readonly code = 'INVALID_SETTINGS';
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

const settingForms = {
  MIN_REPLICAS: 'a whole number from 1 to 1000',
  CLUSTER_NAME: clusterNameForm,
} as const;

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined));

const settingsSchema = z.object({
  MIN_REPLICAS: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,4}$/)
      .transform(Number)
      .pipe(z.number().int().min(1).max(1000))
      .default(3),
  ),
  CLUSTER_NAME: optionalText.pipe(z.string().regex(clusterNamePattern).optional()),
});

/** Parses the settings this function app reads from `env` (normally process.env). */
export function loadSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const names = [...new Set(parsed.error.issues.map((issue) => String(issue.path[0])))];
    const problems = names.map((name) => `${name} must be ${settingForms[name as keyof typeof settingForms]}`);
    throw new SettingsError(`invalid app settings: ${problems.join('; ')}`);
  }
  return Object.freeze({ minReplicas: parsed.data.MIN_REPLICAS, clusterName: parsed.data.CLUSTER_NAME });
}
