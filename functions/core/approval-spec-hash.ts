// The hash an approval is bound to: SHA-256 of the object as it was blocked, written as
// canonical JSON (keys sorted at every level), without what the API server or the
// client tools set on their own (resourceVersion, uid, generation, timestamps,
// managedFields, kubectl's last-applied-configuration, the Deployment controller's
// revision, status). A retried apply of the same change has the same hash; any other
// change to the object, however small, has another. node:crypto is used for hashing
// only: createHash is a pure computation, no I/O.
import { createHash } from 'node:crypto';

/** Set by the API server (or its controllers) on every write: never part of the change. */
const serverSetMetadata: readonly string[] = [
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'managedFields',
  'selfLink',
  'deletionTimestamp',
];

/** Annotations the client tools and controllers write: the same change carries different values. */
const toolAnnotations: readonly string[] = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
];

/** SHA-256 (hex) of the object's canonical JSON, without server- and tool-set fields. */
export function hashApprovalSpec(object: unknown): string {
  return createHash('sha256')
    .update(canonicalJson(withoutServerFields(object)))
    .digest('hex');
}

/** The object without status and without the metadata the API server and tools set. */
export function withoutServerFields(object: unknown): unknown {
  if (!isRecord(object)) return object;
  const { status: _status, metadata, ...rest } = object;
  if (!isRecord(metadata)) return metadata === undefined ? rest : { ...rest, metadata };
  const kept = Object.fromEntries(Object.entries(metadata).filter(([key]) => !serverSetMetadata.includes(key)));
  const annotations = isRecord(metadata.annotations)
    ? Object.fromEntries(Object.entries(metadata.annotations).filter(([key]) => !toolAnnotations.includes(key)))
    : metadata.annotations;
  // An object whose only annotations were the tools' is the same change as one without.
  const { annotations: _annotations, ...others } = kept;
  const empty = isRecord(annotations) && Object.keys(annotations).length === 0;
  return { ...rest, metadata: annotations === undefined || empty ? others : { ...others, annotations } };
}

/** JSON with object keys sorted at every level, so that key order never changes the hash. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isRecord(value)) {
    const entries = Object.keys(value)
      .filter((key) => value[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
