// Fields an older API server does not have. Server-side apply refuses an object that
// names one ("field not declared in schema"), where a create or update would drop it
// silently; the installer drops it too, after saying which, so that manifests written
// for current Kubernetes (topologySpreadConstraints[].matchLabelKeys, a PDB's
// unhealthyPodEvictionPolicy) still install on an older cluster. The server names at
// most one such field per list element in each refusal, so this may take a few rounds.
import type { KubernetesObject } from './kubernetes-shapes.js';

const suffix = ': field not declared in schema';
const prefix = 'failed to create typed patch object: ';
/** Rounds of dropping before the refusal is reported as it is; each round drops at least one field. */
const maxRounds = 8;

/**
 * Applies `object` with `apply`; when refused for undeclared fields, applies it again
 * without them. Resolves with the paths left out; rejects with the last refusal
 * otherwise. `messageOf` reads the refusal's Status message.
 */
export async function applyWithoutUndeclared(
  object: KubernetesObject,
  apply: (body: KubernetesObject) => Promise<unknown>,
  messageOf: (error: unknown) => string,
): Promise<string[]> {
  const dropped: string[] = [];
  let body = object;
  for (let round = 0; ; round++) {
    try {
      await apply(body);
      return dropped;
    } catch (error) {
      const undeclared = round < maxRounds ? readUndeclaredFields(messageOf(error)) : [];
      const trimmed = undeclared.length > 0 ? withoutFields(body, undeclared) : undefined;
      if (!trimmed) throw error;
      dropped.push(...undeclared);
      body = trimmed;
    }
  }
}

/** The paths a server-side apply refusal names, as structured-merge-diff writes them. */
export function readUndeclaredFields(message: string): string[] {
  return message
    .split('\n')
    .filter((line) => line.endsWith(suffix))
    .map((line) => {
      const path = line.slice(0, -suffix.length);
      const at = path.lastIndexOf(prefix);
      return (at >= 0 ? path.slice(at + prefix.length) : path).trim();
    })
    .filter((path) => path.startsWith('.'));
}

type Segment = { field: string } | { keys: Record<string, unknown> } | { index: number };

/** `object` without the fields at `paths`; undefined when a path cannot be followed (then nothing is dropped). */
export function withoutFields(object: KubernetesObject, paths: readonly string[]): KubernetesObject | undefined {
  const copy = structuredClone(object);
  for (const path of paths) {
    const segments = parsePath(path);
    const last = segments?.at(-1);
    if (!segments || !last || !('field' in last)) return undefined;
    const parent = segments.slice(0, -1).reduce<unknown>((node, segment) => step(node, segment), copy);
    if (!isRecord(parent) || !(last.field in parent)) return undefined;
    delete parent[last.field];
  }
  return copy;
}

function step(node: unknown, segment: Segment): unknown {
  if ('field' in segment) return isRecord(node) ? node[segment.field] : undefined;
  if (!Array.isArray(node)) return undefined;
  if ('index' in segment) return node[segment.index];
  const { keys } = segment;
  return node.find((item) => isRecord(item) && Object.entries(keys).every(([key, value]) => item[key] === value));
}

/** `.a.b[k="v",n=1].c[0]` as segments; undefined for forms this does not follow (set members, `[=value]`). */
function parsePath(path: string): Segment[] | undefined {
  const segments: Segment[] = [];
  const token = /\.([A-Za-z0-9_$-]+)|\[(\d+)\]|\[((?:[A-Za-z0-9_]+=(?:"(?:[^"\\]|\\.)*"|[^,\]]+),?)+)\]/gy;
  let match: RegExpExecArray | null = token.exec(path);
  let consumed = 0;
  while (match) {
    consumed = token.lastIndex;
    if (match[1] !== undefined) segments.push({ field: match[1] });
    else if (match[2] !== undefined) segments.push({ index: Number(match[2]) });
    else if (match[3] !== undefined) {
      const keys = readKeys(match[3]);
      if (!keys) return undefined;
      segments.push({ keys });
    }
    match = token.exec(path);
  }
  return consumed === path.length ? segments : undefined;
}

function readKeys(text: string): Record<string, unknown> | undefined {
  const keys: Record<string, unknown> = {};
  for (const [, key, value] of text.matchAll(/([A-Za-z0-9_]+)=("(?:[^"\\]|\\.)*"|[^,]+)/g)) {
    if (key === undefined || value === undefined) return undefined;
    try {
      keys[key] = JSON.parse(value);
    } catch {
      return undefined; // not a JSON value: a form this does not follow
    }
  }
  return keys;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
