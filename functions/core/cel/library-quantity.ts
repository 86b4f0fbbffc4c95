// Kubernetes' quantity library: quantity("1.5Gi"), isQuantity, and on a quantity
// compareTo, isGreaterThan, isLessThan, add, sub (a quantity or an int), isInteger,
// asInteger, asApproximateFloat and sign.
import type { Environment } from '@marcbachmann/cel-js';
import { parseQuantity, Quantity, quantityFromInt } from './quantity.js';

const type = 'kubernetes.Quantity';

export function quantity(text: string): Quantity {
  const parsed = parseQuantity(text);
  if (!parsed) throw new Error(`not a quantity: ${text.slice(0, 40)}`);
  return parsed;
}

export function registerQuantity(environment: Environment): Environment {
  return environment
    .registerType(type, Quantity)
    .registerOperator(`${type} == ${type}`, (a: Quantity, b: Quantity) => a.nanos === b.nanos)
    .registerFunction(`quantity(string): ${type}`, quantity)
    .registerFunction('isQuantity(string): bool', (text: string) => parseQuantity(text) !== undefined)
    .registerFunction(`${type}.compareTo(${type}): int`, (a: Quantity, b: Quantity) => a.compareTo(b))
    .registerFunction(`${type}.isGreaterThan(${type}): bool`, (a: Quantity, b: Quantity) => a.compareTo(b) > 0n)
    .registerFunction(`${type}.isLessThan(${type}): bool`, (a: Quantity, b: Quantity) => a.compareTo(b) < 0n)
    .registerFunction(`${type}.add(${type}): ${type}`, (a: Quantity, b: Quantity) => new Quantity(a.nanos + b.nanos))
    .registerFunction(
      `${type}.add(int): ${type}`,
      (a: Quantity, b: bigint) => new Quantity(a.nanos + quantityFromInt(b).nanos),
    )
    .registerFunction(`${type}.sub(${type}): ${type}`, (a: Quantity, b: Quantity) => new Quantity(a.nanos - b.nanos))
    .registerFunction(
      `${type}.sub(int): ${type}`,
      (a: Quantity, b: bigint) => new Quantity(a.nanos - quantityFromInt(b).nanos),
    )
    .registerFunction(`${type}.isInteger(): bool`, (a: Quantity) => a.isInteger())
    .registerFunction(`${type}.asInteger(): int`, (a: Quantity) => a.asInteger())
    .registerFunction(`${type}.asApproximateFloat(): double`, (a: Quantity) => a.asApproximateFloat())
    .registerFunction(`${type}.sign(): int`, (a: Quantity) => a.sign());
}
