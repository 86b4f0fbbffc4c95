// A check that a body is well-formed JSON which keeps only the few values asked for
// ("apiVersion", "request.uid"), without building the document. JSON.parse of a 7 MiB
// body made of millions of empty arrays builds millions of objects and exhausts the
// image's 64 MB heap; this walks the bytes once, with a nesting limit, and allocates
// only for the keys on a wanted path and the short strings it keeps.
//
// Duplicate keys on a wanted path (or on the way to one) are refused: JSON.parse, and
// so the function, takes the last, and the proxy must not vouch for a uid the function
// does not see. Duplicates elsewhere are not tracked. Inside strings only the escapes are checked
// (json-tokens.ts), except in the strings kept, which are decoded. UTF-8 is not validated here
// (Buffer#toString, as the function reads it, replaces bad sequences).
import { planFor, type ScanOptions } from './json-scan-plan.js';
import { endOfNumber, isSpace, ScanFailure, StringEnds } from './json-tokens.js';

export type { ScanOptions };

/** A wanted value: a string (when short), a boolean, or null for anything else. */
export type ScannedValue = string | boolean | null;

export type JsonScan = { readonly found: ReadonlyMap<string, ScannedValue> } | { readonly invalid: string };

const literals: ReadonlyMap<number, { readonly text: Buffer; readonly value: ScannedValue }> = new Map([
  [0x74, { text: Buffer.from('true'), value: true }],
  [0x66, { text: Buffer.from('false'), value: false }],
  [0x6e, { text: Buffer.from('null'), value: null }],
]);

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function scanJson(bytes: Buffer, options: ScanOptions): JsonScan {
  const scanner = new Scanner(bytes, options);
  try {
    scanner.document();
    return { found: scanner.found };
  } catch (error) {
    if (error instanceof ScanFailure) return { invalid: error.message };
    throw error;
  }
}

const quote = 0x22;

class Scanner {
  private pos = 0;
  readonly found = new Map<string, ScannedValue>();
  private readonly wanted: ReadonlySet<string>;
  /** The root ("") and every path that leads to a wanted one: their keys are read. */
  private readonly leading: ReadonlySet<string>;
  private readonly seen = new Set<string>();
  private readonly strings: StringEnds;

  constructor(
    private readonly bytes: Buffer,
    private readonly options: ScanOptions,
  ) {
    this.strings = new StringEnds(bytes);
    ({ wanted: this.wanted, leading: this.leading } = planFor(options));
  }

  document(): void {
    this.skipSpace();
    this.value('', 0);
    this.skipSpace();
    if (this.pos !== this.bytes.length) this.fail('unexpected data after the JSON value');
  }

  private fail(reason: string): never {
    throw new ScanFailure(reason);
  }

  private peek(): number {
    const byte = this.bytes[this.pos];
    return byte ?? this.fail('the JSON ends early');
  }

  private skipSpace(): void {
    const { bytes } = this;
    while (this.pos < bytes.length && isSpace(bytes[this.pos] ?? 0)) this.pos++;
  }

  /** `path` is the value's path when it is wanted or leads to a wanted one, else undefined. */
  private value(path: string | undefined, depth: number): void {
    if (path !== undefined && path !== '') {
      if (this.seen.has(path)) this.fail(`duplicate key "${path}"`);
      this.seen.add(path);
    }
    const wanted = path !== undefined && this.wanted.has(path);
    const value = this.skipValue(path, depth, wanted);
    if (wanted) this.found.set(path, value);
  }

  /** Skips one value; returns it when it is `wanted` and a short string or a boolean, else null. */
  private skipValue(path: string | undefined, depth: number, wanted: boolean): ScannedValue {
    const byte = this.peek();
    const start = this.pos;
    if (byte === quote) {
      this.skipString();
      return wanted && this.pos - start <= this.options.maxStringBytes + 2 ? this.decode(start) : null;
    }
    if (byte === 0x7b || byte === 0x5b) {
      if (depth >= this.options.maxDepth) this.fail(`nested deeper than ${this.options.maxDepth} levels`);
      if (byte === 0x7b) this.object(path, depth + 1);
      else this.array(depth + 1);
      return null;
    }
    const literal = literals.get(byte);
    if (literal) {
      if (!this.bytes.subarray(start, start + literal.text.length).equals(literal.text)) this.fail('malformed literal');
      this.pos += literal.text.length;
      return literal.value;
    }
    this.skipNumber();
    return null;
  }

  /** A string just skipped (a wanted value or a key on a wanted path), decoded as the function will. */
  private decode(start: number): string {
    const decoded: unknown = tryParse(this.bytes.toString('utf8', start, this.pos));
    // The skip checked the quotes and escapes; only a raw control character is left to refuse.
    return typeof decoded === 'string' ? decoded : this.fail('a control character in a string');
  }

  private object(path: string | undefined, depth: number): void {
    this.pos++; // {
    this.skipSpace();
    if (this.peek() === 0x7d) return void this.pos++;
    for (;;) {
      this.skipSpace();
      if (this.peek() !== quote) this.fail('expected a string key in an object');
      const keyStart = this.pos;
      this.skipString();
      const child = this.childPath(path, keyStart);
      this.skipSpace();
      if (this.peek() !== 0x3a) this.fail('expected ":" after a key');
      this.pos++;
      this.skipSpace();
      this.value(child, depth);
      if (this.closes(0x7d, 'expected "," or "}" in an object')) return;
    }
  }

  /** After an item: true at the container's closing byte, on past a comma, else a failure. */
  private closes(close: number, failure: string): boolean {
    this.skipSpace();
    const next = this.peek();
    this.pos++;
    if (next === close) return true;
    if (next !== 0x2c) this.fail(failure);
    return false;
  }

  /** The path of a key just skipped, when it is wanted or leads to a wanted one. */
  private childPath(parent: string | undefined, keyStart: number): string | undefined {
    if (parent === undefined || !this.leading.has(parent) || this.pos - keyStart > 256) return undefined;
    const key = this.decode(keyStart);
    if (key.includes('.')) return undefined;
    const path = parent === '' ? key : `${parent}.${key}`;
    return this.wanted.has(path) || this.leading.has(path) ? path : undefined;
  }

  private array(depth: number): void {
    this.pos++; // [
    this.skipSpace();
    if (this.peek() === 0x5d) return void this.pos++;
    for (;;) {
      this.skipSpace();
      this.value(undefined, depth);
      if (this.closes(0x5d, 'expected "," or "]" in an array')) return;
    }
  }

  private skipString(): void {
    this.pos = this.strings.endOf(this.pos);
  }

  private skipNumber(): void {
    this.pos = endOfNumber(this.bytes, this.pos);
  }
}
