// The library's classes of uint, duration and type values, which its main entry does not
// export (only the `/evaluator` entry, which the kernel's import rules leave out): taken
// from values the library makes itself.
import { Environment } from '@marcbachmann/cel-js';

export interface CelUint {
  valueOf(): bigint;
}
export interface CelDurationValue {
  readonly seconds: bigint;
  readonly nanos: number;
}

const probe = new Environment();

// Trust boundary: `1u` evaluates to the library's UnsignedInt, `duration('1s')` to its Duration.
export const UnsignedInt = (probe.evaluate('1u') as object).constructor as abstract new (...args: never[]) => CelUint;
// Trust boundary: as above.
export const Duration = (probe.evaluate("duration('1s')") as object).constructor as abstract new (
  ...args: never[]
) => CelDurationValue;
// Trust boundary: `type(1)` evaluates to the library's Type, made from a type's name.
const TypeValue = (probe.evaluate('type(1)') as object).constructor as new (name: string) => object;

/** The type of optionals, `optional_type` (the library has none). */
export const optionalType = new TypeValue('optional_type');
