// Failures of calls to the API server, turned into InstallerErrors that say what to do:
// a missing permission, a field manager conflict (with the fields named), an
// unreachable server. Server text is never echoed, apart from conflict causes.
import { ApiException } from '@kubernetes/client-node';
import { z } from 'zod';
import { InstallerError } from './installer-error.js';

/** The failure as an InstallerError that says what to do, with the original as its cause. */
export function explainApiError(
  error: unknown,
  verb: string,
  object: { kind: string; name: string; namespace?: string },
  server: string,
): InstallerError {
  const what = `${object.kind} ${object.namespace ? `${object.namespace}/` : ''}${object.name}`;
  if (error instanceof ApiException) {
    if (error.code === 403) {
      const where = object.namespace ? ` in namespace ${object.namespace}` : ' (cluster-scoped)';
      return new InstallerError(
        'FORBIDDEN',
        `forbidden: your identity may not ${verb} ${object.kind}${where}; ask for that permission (installing needs cluster-admin or equivalent) and retry`,
        { cause: error },
      );
    }
    if (error.code === 409) {
      const causes = readCauses(error.body);
      return new InstallerError(
        'CONFLICT',
        `conflict applying ${what}: ${causes || 'fields are owned by another field manager'}; rerun with --force-conflicts to take them over`,
        { cause: error },
      );
    }
    const message = `the API server refused to ${verb} ${what} (HTTP ${error.code})`;
    return new InstallerError('API_ERROR', message, { cause: error });
  }
  const code = readSystemErrorCode(error);
  if (code) {
    return new InstallerError(
      'UNREACHABLE',
      `cannot reach the cluster at ${server} (${code}); check the kubeconfig context and your network`,
      { cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : 'unknown error';
  return new InstallerError('UNREACHABLE', `cannot ${verb} ${what} at ${server}: ${reason}`, { cause: error });
}

/** A Node system error code (ECONNREFUSED, ENOTFOUND, ...) on the error or its cause. */
const systemErrorSchema = z.object({ code: z.string().regex(/^E[A-Z]+$/) });

function readSystemErrorCode(error: unknown): string | undefined {
  const candidates = [error, error instanceof Error ? error.cause : undefined];
  for (const candidate of candidates) {
    const parsed = systemErrorSchema.safeParse(candidate);
    if (parsed.success) return parsed.data.code;
  }
  return undefined;
}

/** The message of the Status body an ApiException carries, or '' (for reading, never for echoing whole). */
export function readStatusMessage(error: unknown): string {
  if (!(error instanceof ApiException)) return '';
  const parsed = z
    .object({ message: z.string() })
    .safeParse(typeof error.body === 'string' ? safeJson(error.body) : error.body);
  return parsed.success ? parsed.data.message : '';
}

/** The causes a Kubernetes Status body lists (field manager conflicts name the fields there). */
const statusSchema = z.object({
  details: z.object({ causes: z.array(z.object({ message: z.unknown() })) }),
});

function readCauses(body: unknown): string {
  const parsed = statusSchema.safeParse(typeof body === 'string' ? safeJson(body) : body);
  if (!parsed.success) return '';
  return parsed.data.details.causes
    .map((cause) => (typeof cause.message === 'string' ? cause.message : ''))
    .filter(Boolean)
    .slice(0, 5)
    .join('; ');
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // a non-JSON error body: no causes to report
  }
}
