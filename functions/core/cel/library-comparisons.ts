// Comparisons CEL has and the library lacks: bytes order byte by byte, then by length
// (`b'a' < b'b'`, `b'' < b'\x00'`), and optionals are equal when both are empty or
// both hold equal values (`optional.of(1) == optional.of(1)`).
import type { Environment } from '@marcbachmann/cel-js';
import { celEquals, evaluatorOf } from './cel-equality.js';

function compareBytes(left: Uint8Array, right: Uint8Array): number {
  const shorter = Math.min(left.length, right.length);
  for (let index = 0; index < shorter; index++) {
    const difference = (left[index] ?? 0) - (right[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

export function registerComparisons(environment: Environment): Environment {
  return environment
    .registerOperator('bytes < bytes', (a: Uint8Array, b: Uint8Array) => compareBytes(a, b) < 0)
    .registerOperator('bytes <= bytes', (a: Uint8Array, b: Uint8Array) => compareBytes(a, b) <= 0)
    .registerOperator('bytes > bytes', (a: Uint8Array, b: Uint8Array) => compareBytes(a, b) > 0)
    .registerOperator('bytes >= bytes', (a: Uint8Array, b: Uint8Array) => compareBytes(a, b) >= 0)
    .registerOperator('optional<dyn> == optional<dyn>', (a: unknown, b: unknown, ...rest: unknown[]) =>
      celEquals(a, b, evaluatorOf(rest[1])),
    );
}
