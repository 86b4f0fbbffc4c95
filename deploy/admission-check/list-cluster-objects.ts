// Lists one resource of the cluster, page by page (limit and continue, as kubectl
// does), and gives back its objects with apiVersion and kind set (list items carry
// neither). A list the API server refuses is a problem naming the resource, the
// namespace and the HTTP status; the audit goes on without it.
import { z } from 'zod';
import type { ErrorCode } from '../../functions/core/index.js';
import type { InputProblem } from './input-files.js';
import type { KubeConnection } from './kube-connection.js';

export interface ResourceToList {
  readonly group: string;
  readonly version: string;
  readonly resource: string;
}

const listSchema = z.looseObject({
  kind: z.string(),
  metadata: z.looseObject({ continue: z.string().optional() }).optional(),
  items: z.array(z.record(z.string(), z.unknown())).nullable(),
});

export interface Listed {
  readonly objects: readonly Record<string, unknown>[];
  readonly problems: readonly InputProblem[];
  /** List requests made (pages). */
  readonly requests: number;
}

export function describeResource(target: ResourceToList, namespace: string | undefined): string {
  const where = namespace ? `namespace ${namespace}` : 'all namespaces';
  return `${target.group || 'core'}/${target.version} ${target.resource} (${where})`;
}

const explainStatus: Readonly<Record<number, string>> = {
  401: 'unauthorized: the kubeconfig credentials were refused',
  403: 'forbidden: your identity may not list this',
  404: 'not served by this API server',
};

export async function listObjects(
  connection: KubeConnection,
  target: ResourceToList,
  namespace: string | undefined,
  pageSize: number,
): Promise<Listed> {
  const base = target.group ? `/apis/${target.group}/${target.version}` : `/api/${target.version}`;
  const path = `${base}${namespace ? `/namespaces/${encodeURIComponent(namespace)}` : ''}/${target.resource}`;
  const apiVersion = target.group ? `${target.group}/${target.version}` : target.version;
  const objects: Record<string, unknown>[] = [];
  const what = describeResource(target, namespace);
  let token: string | undefined;
  let requests = 0;
  do {
    const query = `?limit=${pageSize}${token ? `&continue=${encodeURIComponent(token)}` : ''}`;
    requests++;
    let response: { status: number; body: string };
    try {
      response = await connection.get(`${path}${query}`);
    } catch (error) {
      const reason = error instanceof Error && 'code' in error ? String(error.code) : 'no answer';
      return {
        objects,
        problems: [problem('UNREACHABLE', what, `cannot reach ${connection.server} (${reason})`)],
        requests,
      };
    }
    if (response.status !== 200) {
      const reason = explainStatus[response.status] ?? 'refused';
      const code: ErrorCode = response.status === 403 ? 'FORBIDDEN' : 'API_ERROR';
      return { objects, problems: [problem(code, what, `${reason} (HTTP ${response.status})`)], requests };
    }
    const list = listSchema.safeParse(safeJson(response.body));
    if (!list.success) return { objects, problems: [problem('API_ERROR', what, 'the answer is not a list')], requests };
    const kind = list.data.kind.replace(/List$/, '');
    for (const item of list.data.items ?? []) objects.push({ apiVersion, kind, ...item });
    token = list.data.metadata?.continue || undefined;
  } while (token);
  return { objects, problems: [], requests };
}

function problem(code: ErrorCode, file: string, reason: string): InputProblem {
  return { code, file, line: 0, reason };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined; // not JSON: reported as "not a list" by the caller
  }
}
