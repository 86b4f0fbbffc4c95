// Reads the precompiled policy beside a policy file (policy.yaml: policy.precompiled.json),
// when there is one, instead of parsing the file's YAML. It is used only when it was
// made from the file's current text; otherwise one log line says why, and the caller
// reads the YAML, which is the policy. A missing precompiled policy is the normal case
// for a file nobody precompiled, and says nothing.
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { type CompiledPolicyFile, loadPrecompiledPolicyReader } from '../core/index.js';

export type StartupLog = (line: string) => void;

type Found = { readonly json: string } | { readonly notUsed: string } | undefined;

export async function readPrecompiledPolicy(
  file: string,
  text: string,
  log: StartupLog,
): Promise<CompiledPolicyFile | undefined> {
  const reader = await loadPrecompiledPolicyReader();
  const precompiled = reader.precompiledPolicyName(file);
  const found = await readIfPresent(precompiled, reader.maxPrecompiledPolicyBytes);
  if (found === undefined) return undefined;
  let reason: string;
  if ('notUsed' in found) {
    reason = found.notUsed;
  } else {
    try {
      const read = reader.readPrecompiledPolicy(file, text, found.json);
      if ('compiled' in read) return read.compiled;
      reason = read.unusable;
    } catch (error) {
      // Made from this text but no longer valid (by another version?): the YAML decides, and says why.
      reason = `it does not load (${error instanceof Error && 'code' in error ? String(error.code) : 'error'})`;
    }
  }
  log(`policy: ${basename(precompiled)} not used, ${reason}; reading ${basename(file)} (the YAML parser loads)`);
  return undefined;
}

/** The file's text; undefined when it does not exist; a reason when it cannot be used. */
async function readIfPresent(file: string, cap: number): Promise<Found> {
  try {
    const { size } = await stat(file);
    if (size > cap) return { notUsed: `it is over ${cap} bytes` };
    return { json: await readFile(file, 'utf8') };
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'error';
    return code === 'ENOENT' ? undefined : { notUsed: `it cannot be read (${code})` };
  }
}
