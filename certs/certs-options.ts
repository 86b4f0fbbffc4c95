// Command-line options of `npm run certs`, parsed with node:util and checked with zod.

import { isIP } from 'node:net';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  describeFlagIssues,
  dnsLabelForm,
  dnsLabelPattern,
  dnsNameForm,
  dnsNamePattern,
} from '../functions/core/index.js';

const label = z.string().regex(dnsLabelPattern, `expected ${dnsLabelForm}`);
const dnsName = z.string().regex(dnsNamePattern, `expected ${dnsNameForm}`);

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
    reuse: z.boolean(),
  })
  .refine((options) => options.caDays > options.days, {
    message: 'the CA must outlive the serving certificate: --ca-days > --days',
    path: ['caDays'],
  })
  .refine((options) => [options.force, options.renew, options.reuse].filter(Boolean).length <= 1, {
    message: '--force makes a new CA, --renew a new serving certificate, --reuse keeps what is there: choose one',
    path: ['renew'],
  });

export type CertsOptions = z.infer<typeof optionsSchema>;

export const certsUsage = `usage: npm run certs -- --service <name> --namespace <ns> --out <dir>
    [--dns <extra name>]... [--ip <extra address>]... [--days 365] [--ca-days 3650] [--force | --renew | --reuse]

  --renew   keep the CA in <dir> and issue a new serving certificate (no webhook change needed)
  --reuse   keep the CA and serving certificate in <dir> when they are there (nothing written);
            make what is missing: a serving certificate under the CA there, or everything
  --force   overwrite everything, CA included (the webhook's caBundle must then be updated)`;

function readFlags(argv: readonly string[]) {
  try {
    const { values } = parseArgs({
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
        reuse: { type: 'boolean' },
      },
      strict: true,
    });
    return { values };
  } catch (error) {
    return { error: error instanceof Error ? error.message : 'the flags could not be read' };
  }
}

export function parseCertsOptions(argv: readonly string[]): { value: CertsOptions } | { error: string } {
  const flags = readFlags(argv);
  if (flags.values === undefined) return { error: flags.error };
  const { values } = flags;
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
    reuse: values.reuse ?? false,
  });
  if (!result.success) return { error: describeFlagIssues(result.error) };
  return { value: result.data };
}
