// Field reads written into the generated text: `x["name"]` at each place, where the
// engine keeps one inline cache per place (a helper's single read sees every object of
// every rule and is slow for it). Each inline read has the helper's meaning, and falls
// back to the helper for anything but the plain case: a field not set, a value that is
// not a plain JSON map, a name an Object inherits (`constructor`, `__proto__`), which
// only the helper's own-property check reads right.
import type { Emitter } from './fast-emitter.js';

const plainMap = (text: string) =>
  `(${text} !== null && typeof ${text} === "object" && ${text}.constructor === Object)`;

/** True for a value the compiled form takes as read: not an object, or a plain map or a list. */
export const plainValue = (text: string) =>
  `(typeof ${text} !== "object" || ${text} === null || ${text}.constructor === Object || Array.isArray(${text}))`;

/** Whether every name can be read inline: none is a property every object inherits. */
export function readsInline(fields: readonly string[]): boolean {
  return fields.every((field) => !(field in Object.prototype));
}

/**
 * Text that is true when `root` is a plain map, and each field but the last is set on
 * it (and so on down) to a plain map; `holder` then holds the map of the last field.
 */
function mapsAlong(root: string, fields: readonly string[], holder: string): string {
  const parts = [`(${holder} = ${root}, ${plainMap(holder)})`];
  for (const field of fields.slice(0, -1))
    parts.push(`(${holder} = ${holder}[${JSON.stringify(field)}]) !== undefined`, plainMap(holder));
  return parts.join(' && ');
}

/** `root.a.b...`'s value where all is plain, else `fallback` (the helper's call, which decides). */
export function readPath(out: Emitter, root: string, fields: readonly string[], fallback: string): string {
  const [holder, value] = [out.temp(), out.temp()];
  const last = JSON.stringify(fields.at(-1));
  const plain = `${mapsAlong(root, fields, holder)} && (${value} = ${holder}[${last}]) !== undefined && ${plainValue(value)}`;
  return out.assign(`${plain} ? ${value} : ${fallback}`);
}

/**
 * `root.?a.?b...` as a value, or `h.none` when a field is not set, read inline while
 * each value on the way is a plain map; `fallback` (optionalPath, from the root)
 * decides the rest: an optional root, a value that is not a map.
 */
export function readOptionalPath(out: Emitter, root: string, fields: readonly string[], fallback: string): string {
  const value = out.temp();
  const step = (at: number): string => {
    const field = fields[at];
    if (field === undefined) return '';
    const deeper = at + 1 < fields.length ? ` else ${step(at + 1)}` : '';
    const read = `${value} = ${value}[${JSON.stringify(field)}]; if (${value} === undefined) ${value} = h.none; else if (!${plainValue(value)}) ${value} = ${fallback};${deeper}`;
    return `if (${plainMap(value)}) { ${read} } else ${value} = ${fallback};`;
  };
  out.emit(`${value} = ${root};`);
  out.emit(step(0));
  return value;
}

/** Whether `root.a.b...`'s last field is set where all is plain, else `fallback` (has()'s helper). */
export function testPath(out: Emitter, root: string, fields: readonly string[], fallback: string): string {
  const holder = out.temp();
  const last = JSON.stringify(fields.at(-1));
  const [value] = [out.temp()];
  const found = `(${value} = ${holder}[${last}]) === undefined ? false : ${plainValue(value)} ? true : ${fallback}`;
  return out.assign(`${mapsAlong(root, fields, holder)} ? (${found}) : ${fallback}`);
}
