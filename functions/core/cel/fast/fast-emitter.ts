// The JavaScript text of one compiled expression, built statement by statement: temps
// for intermediate values, constants passed in by reference (never written into the
// text), and budget charges. Nothing a policy author wrote reaches the text but
// through JSON.stringify (field names, string literals) or as a number.
import type { FastProgram } from './fast-program.js';

const chargeLine = /^b\.charge\((\d+)\);$/;

export class Emitter {
  readonly #lines: string[] = [];
  readonly #constants: unknown[] = [];
  #temps = 0;

  /** A new temp's name. */
  temp(): string {
    return `t${this.#temps++}`;
  }

  /** The text that reads `value`, passed to the program as a constant. */
  constant(value: unknown): string {
    this.#constants.push(value);
    return `k[${this.#constants.length - 1}]`;
  }

  emit(line: string): void {
    this.#lines.push(line);
  }

  /** `expression` evaluated once, now, into a new temp. */
  assign(expression: string): string {
    const temp = this.temp();
    this.emit(`${temp} = ${expression};`);
    return temp;
  }

  /**
   * Charges `units` to the budget here. Charges with nothing between them are one
   * charge: the interpreter charges a node and then at once its first operand, and the
   * sum stops the evaluation at the same point.
   */
  charge(units: number): void {
    if (units === 0) return;
    const last = this.#lines.length - 1;
    const merged = chargeLine.exec(this.#lines[last] ?? '');
    if (merged) this.#lines[last] = `b.charge(${Number(merged[1]) + units});`;
    else this.emit(`b.charge(${units});`);
  }

  /** The compiled program: the statements so far, then `result` returned. */
  finish(result: string, helpers: object, errorClass: unknown): FastProgram {
    const temps = Array.from({ length: this.#temps }, (_, index) => `t${index}`);
    const body = [
      '"use strict";',
      'return function compiledCel(s) {',
      'const b = s.budget;',
      temps.length > 0 ? `let ${temps.join(', ')};` : '',
      ...this.#lines,
      `return ${result};`,
      '};',
    ].join('\n');
    // Trust boundary: the text is built here from generated names, JSON.stringify'd
    // literals and numbers only (see the file's header); Function returns the program.
    const make = new Function('h', 'k', 'FE', body) as (h: object, k: unknown[], FE: unknown) => FastProgram;
    return make(helpers, this.#constants, errorClass);
  }
}
