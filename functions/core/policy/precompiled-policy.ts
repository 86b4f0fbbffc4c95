// A precompiled policy: a policy file's data as JSON, written beside the file when the
// function app is packaged, so that start-up reads JSON (JSON.parse, well under a
// millisecond) instead of loading the YAML parser and parsing YAML cold (about 100 ms
// for the shipped policy set). It skips only the YAML parse: the data is validated
// and compiled at load exactly as the YAML's would be. It records the SHA-256 of the
// file it was made from; when the file has changed since, it is not used.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { CompiledPolicyFile } from './compile-policy.js';
import { parsePolicyData } from './parse-policy-data.js';
import { maxPolicyBytes } from './policy-error.js';

export const precompiledPolicyKind = 'PrecompiledAdmissionPolicy';

/**
 * The largest precompiled policy read: JSON of a file within maxPolicyBytes, with room
 * for YAML aliases expanded (each within maxPolicyAliases). A larger one is not used.
 */
export const maxPrecompiledPolicyBytes = 4 * maxPolicyBytes;

const envelopeSchema = z.object({
  kind: z.literal(precompiledPolicyKind),
  source: z.string(),
  sourceSha256: z.string().regex(/^[0-9a-f]{64}$/),
  policy: z.unknown(),
});

export type PrecompiledPolicyRead = { readonly compiled: CompiledPolicyFile } | { readonly unusable: string };

/** The precompiled policy file's name for a policy file's: policy.yaml gives policy.precompiled.json. */
export function precompiledPolicyName(policyFile: string): string {
  return `${policyFile.replace(/\.ya?ml$/i, '')}.precompiled.json`;
}

/** SHA-256 of the policy file's text, as hex: what ties a precompiled policy to its file. */
export function hashPolicyText(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The JSON text of a precompiled policy, from a policy file's text and its data (already validated). */
export function toPrecompiledPolicy(source: string, text: string, data: unknown): string {
  const name = source.split(/[\\/]/).pop() ?? source;
  const envelope = {
    kind: precompiledPolicyKind,
    comment: `generated from ${name}; edit that file, not this one (this one is not used once ${name} changes)`,
    source: name,
    sourceSha256: hashPolicyText(text),
    policy: data,
  };
  return `${JSON.stringify(envelope)}\n`;
}

/**
 * Compiles a precompiled policy if it was made from exactly `policyText`; otherwise
 * says why it cannot be used. Throws the PolicyError of a policy that does not
 * validate or compile (its file named `policyFile`), as the YAML's would.
 */
export function readPrecompiledPolicy(policyFile: string, policyText: string, json: string): PrecompiledPolicyRead {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    // The message of a JSON syntax error quotes the text; the reason says enough.
    return { unusable: 'it is not valid JSON' };
  }
  const envelope = envelopeSchema.safeParse(value);
  if (!envelope.success)
    return { unusable: `it is not a ${precompiledPolicyKind} (kind, source, sourceSha256, policy)` };
  if (envelope.data.sourceSha256 !== hashPolicyText(policyText)) {
    return { unusable: 'the policy file has changed since it was generated (its SHA-256 differs)' };
  }
  return { compiled: parsePolicyData(policyFile, envelope.data.policy) };
}
