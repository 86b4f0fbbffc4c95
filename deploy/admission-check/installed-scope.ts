// What the installed webhook is sent, read from the cluster being audited: the rules of
// the ValidatingWebhookConfiguration serverless-admission, as registered there (with or
// without components/all-workloads, or patched by hand). Without it (not installed, or
// not readable), the audit falls back to --scope and says so.
import { z } from 'zod';
import type { Operation, WebhookRule } from '../../functions/core/index.js';
import type { KubeConnection } from './kube-connection.js';
import { type ScopeName, scopeRules } from './webhook-filter.js';

export const webhookConfigurationName = 'serverless-admission';

const operations = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT', '*'] as const;
const configurationSchema = z.looseObject({
  webhooks: z
    .array(
      z.looseObject({
        rules: z
          .array(
            z.looseObject({
              apiGroups: z.array(z.string()).default([]),
              apiVersions: z.array(z.string()).default([]),
              resources: z.array(z.string()).default([]),
              operations: z.array(z.enum(operations)).default([]),
            }),
          )
          .default([]),
      }),
    )
    .default([]),
});

export interface AuditScope {
  readonly rules: readonly WebhookRule[];
  /** Where the rules came from, for the report. */
  readonly source: string;
}

const every: readonly Operation[] = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'];

export async function readInstalledScope(
  connection: KubeConnection,
  chosen: ScopeName | undefined,
): Promise<AuditScope> {
  if (chosen !== undefined) return { rules: scopeRules(chosen), source: `--scope ${chosen}` };
  const path = `/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations/${webhookConfigurationName}`;
  const fallback = (why: string): AuditScope => ({ rules: scopeRules('webhook'), source: `--scope webhook (${why})` });
  let response: { status: number; body: string };
  try {
    response = await connection.get(path);
  } catch {
    return fallback('the webhook configuration could not be read'); // the lists that follow name the network error
  }
  if (response.status === 404)
    return fallback(`no ValidatingWebhookConfiguration ${webhookConfigurationName} installed`);
  if (response.status !== 200) return fallback(`reading the webhook configuration answered HTTP ${response.status}`);
  const parsed = configurationSchema.safeParse(parseJson(response.body));
  if (!parsed.success) return fallback('the webhook configuration is not readable');
  const rules = parsed.data.webhooks.flatMap((webhook) =>
    webhook.rules.map((rule) => ({
      ...rule,
      operations: rule.operations.includes('*')
        ? every
        : rule.operations.filter((operation): operation is Operation => operation !== '*'),
    })),
  );
  return { rules, source: `the installed ValidatingWebhookConfiguration ${webhookConfigurationName}` };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // reported as "not readable" by the caller
  }
}
