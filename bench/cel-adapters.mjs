// One adapter per CEL library for bench/cel-conformance.mjs: builds the library's
// environment for a conformance test (declared variables, bindings), runs the expression
// and writes the result in the runner's canonical text form.

/** A conformance Value (proto JSON) as plain JS, with int/uint told apart by `uint`. */
function toInput(value, uint) {
  if ('nullValue' in value) return null;
  if ('boolValue' in value) return value.boolValue;
  if ('int64Value' in value) return BigInt(value.int64Value);
  if ('uint64Value' in value) return uint(BigInt(value.uint64Value));
  if ('doubleValue' in value) return Number(value.doubleValue);
  if ('stringValue' in value) return value.stringValue;
  if ('bytesValue' in value) return new Uint8Array(Buffer.from(value.bytesValue, 'base64'));
  if ('listValue' in value) return (value.listValue.values ?? []).map((v) => toInput(v, uint));
  if ('mapValue' in value)
    return new Map((value.mapValue.entries ?? []).map((e) => [toInput(e.key, uint), toInput(e.value, uint)]));
  throw new Error(`binding not supported: ${Object.keys(value)[0]}`);
}

function canonicalNumber(value) {
  return `double(${value})`;
}

function canonicalCollection(value, canonical) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return `{${entries
    .map(([k, v]) => `${canonical(k)}:${canonical(v)}`)
    .sort()
    .join(',')}}`;
}

function canonicalDuration(seconds, nanos) {
  const total = Number(seconds) + Number(nanos) / 1e9;
  return `duration(${total}s)`;
}

// ---- @marcbachmann/cel-js ----

const celJsTypes = { INT64: 'int', UINT64: 'uint', DOUBLE: 'double', STRING: 'string', BOOL: 'bool', BYTES: 'bytes' };

function celJsType(type) {
  if (type.primitive) return celJsTypes[type.primitive] ?? 'dyn';
  if (type.listType) return `list<${celJsType(type.listType.elemType)}>`;
  if (type.mapType) return `map<${celJsType(type.mapType.keyType)}, ${celJsType(type.mapType.valueType)}>`;
  if (type.wellKnown === 'TIMESTAMP') return 'google.protobuf.Timestamp';
  if (type.wellKnown === 'DURATION') return 'google.protobuf.Duration';
  return 'dyn';
}

/**
 * The library as it comes, or with `extend(environment)` (more functions) and
 * `rewrite(environment, program)` (applied to each parsed program before its check):
 * how the kernel's environment is measured (test/cel/conformance.test.ts).
 */
export async function celJsAdapter({ name = '@marcbachmann/cel-js', extend = (e) => e, rewrite = () => {} } = {}) {
  const { Environment } = await import('@marcbachmann/cel-js');
  const base = extend(
    new Environment({
      unlistedVariablesAreDyn: true,
      enableOptionalTypes: true,
      homogeneousAggregateLiterals: false,
    }),
  );
  const uint = (n) => base.evaluate(`${n}u`);
  const canonical = (value) => {
    if (value === null) return 'null';
    if (typeof value === 'boolean') return `bool(${value})`;
    if (typeof value === 'bigint') return `int(${value})`;
    if (typeof value === 'number') return canonicalNumber(value);
    if (typeof value === 'string') return `string(${JSON.stringify(value)})`;
    if (value instanceof Uint8Array) return `bytes(${Buffer.from(value).toString('hex')})`;
    if (value instanceof Date) return `timestamp(${value.toISOString()})`;
    const kind = value.constructor?.name;
    if (kind === 'UnsignedInt') return `uint(${value.value})`;
    if (kind === 'Duration') return canonicalDuration(value.seconds, value.nanos);
    // The library names the type of null `null`; CEL calls it null_type.
    if (kind === 'Type')
      return `type(${(value.name ?? String(value).replace(/^Type<|>$/g, '')).replace(/^null$/, 'null_type')})`;
    return canonicalCollection(value, canonical);
  };
  return {
    name,
    run(test) {
      let environment = base.clone();
      for (const decl of test.typeEnv ?? [])
        if (decl.ident) environment = environment.registerVariable(decl.name, celJsType(decl.ident.type));
      const bindings = Object.fromEntries(
        Object.entries(test.bindings ?? {}).map(([name, b]) => [name, toInput(b.value, uint)]),
      );
      const program = environment.parse(test.expr);
      rewrite(environment, program);
      if (!test.disableCheck) {
        const checked = program.check();
        if (!checked.valid) return { error: checked.error };
      }
      return { value: canonical(program(bindings)) };
    },
  };
}

// ---- @bufbuild/cel ----

export async function bufbuildAdapter() {
  const cel = await import('@bufbuild/cel');
  const { strings } = await import('@bufbuild/cel/ext');
  const { timestampDate } = await import('@bufbuild/protobuf/wkt');
  const canonical = (value) => {
    if (value === null) return 'null';
    if (typeof value === 'boolean') return `bool(${value})`;
    if (typeof value === 'bigint') return `int(${value})`;
    if (typeof value === 'number') return canonicalNumber(value);
    if (typeof value === 'string') return `string(${JSON.stringify(value)})`;
    if (value instanceof Uint8Array) return `bytes(${Buffer.from(value).toString('hex')})`;
    if (cel.isCelUint(value)) return `uint(${value.value})`;
    if (cel.isCelType(value)) return `type(${value.name})`;
    if (cel.isCelList(value)) return `[${[...value].map(canonical).join(',')}]`;
    if (cel.isCelMap(value)) return canonicalCollection(new Map([...value.entries()]), canonical);
    const message = value.message ?? value;
    const typeName = value.desc?.typeName ?? message.$typeName;
    if (typeName === 'google.protobuf.Timestamp') return `timestamp(${timestampDate(message).toISOString()})`;
    if (typeName === 'google.protobuf.Duration') return canonicalDuration(message.seconds, message.nanos);
    return `unknown(${typeName})`;
  };
  const env = cel.celEnv({ funcs: strings });
  return {
    name: '@bufbuild/cel',
    run(test) {
      const bindings = Object.fromEntries(
        Object.entries(test.bindings ?? {}).map(([name, b]) => [name, toInput(b.value, cel.celUint)]),
      );
      const result = cel.plan(env, cel.parse(test.expr))(bindings);
      if (cel.isCelError(result)) return { error: result };
      return { value: canonical(result) };
    },
  };
}
