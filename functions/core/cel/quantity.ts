// Kubernetes resource quantities ("500m", "1.5Gi", "2e3") as exact numbers: the value
// in billionths (nano units), as a bigint. Kubernetes keeps nine decimal places and
// rounds a finer fraction up; so does this.

const binarySuffixes: Readonly<Record<string, bigint>> = {
  Ki: 2n ** 10n,
  Mi: 2n ** 20n,
  Gi: 2n ** 30n,
  Ti: 2n ** 40n,
  Pi: 2n ** 50n,
  Ei: 2n ** 60n,
};
const decimalExponents: Readonly<Record<string, number>> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const quantityPattern = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d{1,3})?$/;
const nanosPerUnit = 1_000_000_000n;

export class Quantity {
  constructor(readonly nanos: bigint) {}

  compareTo(other: Quantity): bigint {
    return this.nanos === other.nanos ? 0n : this.nanos > other.nanos ? 1n : -1n;
  }

  isInteger(): boolean {
    return this.nanos % nanosPerUnit === 0n;
  }

  asInteger(): bigint {
    if (!this.isInteger()) throw new Error('the quantity is not an integer');
    const value = this.nanos / nanosPerUnit;
    if (value > 2n ** 63n - 1n || value < -(2n ** 63n)) throw new Error('the quantity does not fit in an int');
    return value;
  }

  asApproximateFloat(): number {
    return Number(this.nanos) / 1e9;
  }

  sign(): bigint {
    return this.nanos === 0n ? 0n : this.nanos > 0n ? 1n : -1n;
  }

  toString(): string {
    return `${this.asApproximateFloat()}`;
  }
}

/**
 * Quantities by their text, as parsed (a quantity is immutable): every review of a
 * workload reads the same few ('256Mi', '2Gi'), and BigInt arithmetic costs about a
 * microsecond. Bounded: texts up to 64 characters, cleared when full.
 */
const parsedByText = new Map<string, Quantity | undefined>();
const maxParsedTexts = 1024;
const maxCachedLength = 64;

/** The quantity `text` means, or undefined when it is not one. */
export function parseQuantity(text: string): Quantity | undefined {
  if (text.length > maxCachedLength) return parseQuantityText(text);
  const known = parsedByText.get(text);
  if (known !== undefined || parsedByText.has(text)) return known;
  const parsed = parseQuantityText(text);
  if (parsedByText.size >= maxParsedTexts) parsedByText.clear();
  parsedByText.set(text, parsed);
  return parsed;
}

function parseQuantityText(text: string): Quantity | undefined {
  const match = quantityPattern.exec(text);
  if (!match) return undefined;
  const [, sign = '', number = '', suffix = ''] = match;
  const [whole = '', fraction = ''] = number.split('.');
  const digits = BigInt(`${whole}${fraction}` || '0');
  const scale = fraction.length;
  const binary = binarySuffixes[suffix];
  const exponent = binary ? 0 : (decimalExponents[suffix] ?? Number(suffix.slice(1)));
  const nanos = scaleToNanos(digits * (binary ?? 1n), exponent - scale);
  return new Quantity(sign === '-' ? -nanos : nanos);
}

/** digits × 10^exponent in nano units, a finer remainder rounded up. */
function scaleToNanos(digits: bigint, exponent: number): bigint {
  const shift = exponent + 9;
  if (shift >= 0) return digits * 10n ** BigInt(shift);
  const divisor = 10n ** BigInt(-shift);
  return (digits + divisor - 1n) / divisor;
}

export function quantityFromInt(value: bigint): Quantity {
  return new Quantity(value * nanosPerUnit);
}
