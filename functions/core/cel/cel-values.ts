// Kubernetes objects as CEL sees them: a JSON integer is a CEL int (a bigint here),
// so `object.spec.replicas % 2 == 0` and `object.spec.replicas == 3` work as in a
// ValidatingAdmissionPolicy. Other numbers stay doubles. Each object is converted once
// per review, however many rules read it (the cache is keyed by the parsed object), and
// so are its fields: the Pod view of a workload (rules/pod-views.ts), a new object for
// each rule, shares its template's metadata and spec, converted once.

const converted = new WeakMap<object, unknown>();

export function toCelValue(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value === null || typeof value !== 'object') return value;
  const cached = converted.get(value);
  if (cached !== undefined) return cached;
  const result = Array.isArray(value) ? value.map(convertNested) : convertObject(value, toCelValue);
  converted.set(value, result);
  return result;
}

function convertNested(value: unknown): unknown {
  if (typeof value === 'number') return Number.isInteger(value) ? BigInt(value) : value;
  if (value === null || typeof value !== 'object') return value;
  return Array.isArray(value) ? value.map(convertNested) : convertObject(value, convertNested);
}

function convertObject(value: object, convertField: (field: unknown) => unknown): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const [key, nested] of Object.entries(value)) {
    // A field named __proto__ (JSON.parse makes it an own field) stays a field: assigned, it would set the prototype.
    if (key === '__proto__')
      Object.defineProperty(result, key, {
        value: convertField(nested),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    else result[key] = convertField(nested);
  }
  return result;
}

/** The CEL type name of a result, for "gave a string, not true or false". */
export function celTypeName(value: unknown): string {
  if (typeof value === 'bigint') return 'an int';
  if (typeof value === 'number') return 'a double';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return 'a bool';
  if (value === null || value === undefined) return 'null';
  return Array.isArray(value) ? 'a list' : 'a map';
}
