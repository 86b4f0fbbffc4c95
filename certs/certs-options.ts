// Command-line options of `npm run certs`, parsed with node:util and checked with zod.

import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { describeFlagIssues } from '../functions/core/index.js';

// A DNS-1123 label: what Kubernetes allows for Service and Namespace names.
const label = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/, 'expected a DNS-1123 label (lowercase letters, digits, "-")');
const dnsName = z
  .string()
  .regex(
    /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/,
    'expected a DNS name',
  );

const optionsSchema = z
  .object({
    service: label,
    namespace: label,
    out: z.string().min(1),
    dns: z.array(dnsName),
    ip: z.array(z.string().refine((value) => isIP(value) !== 0, 'expected an IP address')),
    days: z.number().int().min(1).max(825),
    caDays: z.number().int().min(2).max(3650),
    force: z.boolean(),
    renew: z.boolean(),
  })
  .refine((options) => options.caDays > options.days, {
    message: 'the CA must outlive the serving certificate: --ca-days > --days',
    path: ['caDays'],
  })
  .refine((options) => !(options.force && options.renew), {
    message: '--force makes a new CA, --renew keeps it: choose one',
    path: ['renew'],
  });

export type CertsOptions = z.infer<typeof optionsSchema>;

export const certsUsage = `usage: npm run certs -- --service <name> --namespace <ns> --out <dir>
    [--dns <extra name>]... [--ip <extra address>]... [--days 365] [--ca-days 3650] [--force | --renew]

  --renew   keep the CA in <dir> and issue a new serving certificate (no webhook change needed)
  --force   overwrite everything, CA included (the webhook's caBundle must then be updated)`;

export function parseCertsOptions(argv: readonly string[]): { value: CertsOptions } | { error: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        service: { type: 'string' },
        namespace: { type: 'string' },
        out: { type: 'string' },
        dns: { type: 'string', multiple: true },
        ip: { type: 'string', multiple: true },
        days: { type: 'string' },
        'ca-days': { type: 'string' },
        force: { type: 'boolean' },
        renew: { type: 'boolean' },
      },
      strict: true,
    });
  } catch (error) {
    return { error: (error as Error).message };
  }
  const { values } = parsed;
  const result = optionsSchema.safeParse({
    service: values.service,
    namespace: values.namespace,
    out: values.out,
    dns: values.dns ?? [],
    ip: values.ip ?? [],
    days: values.days === undefined ? 365 : Number(values.days),
    caDays: values['ca-days'] === undefined ? 3650 : Number(values['ca-days']),
    force: values.force ?? false,
    renew: values.renew ?? false,
  });
  if (!result.success) return { error: describeFlagIssues(result.error) };
  return { value: result.data };
}
