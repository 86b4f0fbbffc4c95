// The admission function's settings, parsed once at start-up into a frozen object.
import { parseSettings } from '../../core/index.js';
import { admissionSettingSpecs } from './app-settings.js';
import { SettingsError } from './settings-error.js';

export { SettingsError };

export interface Settings {
  /** MIN_REPLICAS: the fewest replicas a Deployment may run (the default policy). */
  readonly minReplicas: number;
  /** CLUSTER_NAME: the cluster named in texts when the proxy does not send one. */
  readonly clusterName: string | undefined;
  /** POLICY_FILE: the policy file, when set. */
  readonly policyFile: string | undefined;
  /** SMS_QUEUE_NAME: the queue between admission and notify. */
  readonly smsQueueName: string;
}

/** Parses the settings this function app reads from `env` (normally process.env). */
export function loadSettings(env: Readonly<Record<string, string | undefined>>): Settings {
  const parsed = parseSettings(admissionSettingSpecs, env);
  if ('problems' in parsed) throw new SettingsError('app settings', parsed.problems);
  const { MIN_REPLICAS, CLUSTER_NAME, POLICY_FILE, SMS_QUEUE_NAME } = parsed.values;
  return Object.freeze({
    minReplicas: MIN_REPLICAS,
    clusterName: CLUSTER_NAME,
    policyFile: POLICY_FILE,
    smsQueueName: SMS_QUEUE_NAME,
  });
}
