// Kubernetes' lists library: isSorted, sum, min, max, indexOf, lastIndexOf on lists of
// comparable values (ints, uints, doubles, strings). Each call costs the list's length.
import type { Environment } from '@marcbachmann/cel-js';
import { charge } from './runtime-budget.js';

type Comparable = bigint | number | string;

function comparable(list: readonly unknown[]): readonly Comparable[] {
  charge(list.length);
  for (const item of list) {
    const kind = typeof item;
    if (kind !== 'bigint' && kind !== 'number' && kind !== 'string')
      throw new Error('the list holds values that cannot be compared');
  }
  // Trust boundary: every item was checked to be a bigint, number or string just above.
  return list as readonly Comparable[];
}

function extreme(list: readonly unknown[], better: (a: Comparable, b: Comparable) => boolean): Comparable {
  const items = comparable(list);
  const [first, ...rest] = items;
  if (first === undefined) throw new Error('min and max need a list that is not empty');
  return rest.reduce((best, item) => (better(item, best) ? item : best), first);
}

function sum(list: readonly unknown[]): Comparable {
  const items = comparable(list);
  if (items.length === 0) return 0n;
  return items.reduce((total, item) => {
    if (typeof total === 'string' || typeof item === 'string') throw new Error('sum needs numbers');
    if (typeof total !== typeof item) throw new Error('sum needs numbers of one type');
    // Trust boundary: both are bigints or both are numbers, as checked on the line above.
    return (total as number) + (item as number);
  });
}

function indexOf(list: readonly unknown[], value: unknown, last: boolean): bigint {
  charge(list.length);
  const at = last ? list.lastIndexOf(value) : list.indexOf(value);
  return BigInt(at);
}

export function registerLists(environment: Environment): Environment {
  return environment
    .registerFunction('list.isSorted(): bool', (list: unknown[]) =>
      comparable(list).every((item, index, items) => index === 0 || (items[index - 1] ?? item) <= item),
    )
    .registerFunction('list.sum(): dyn', sum)
    .registerFunction('list.min(): dyn', (list: unknown[]) => extreme(list, (a, b) => a < b))
    .registerFunction('list.max(): dyn', (list: unknown[]) => extreme(list, (a, b) => a > b))
    .registerFunction('list.indexOf(dyn): int', (list: unknown[], value: unknown) => indexOf(list, value, false))
    .registerFunction('list.lastIndexOf(dyn): int', (list: unknown[], value: unknown) => indexOf(list, value, true));
}
