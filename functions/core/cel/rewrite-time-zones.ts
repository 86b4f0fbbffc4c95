// Time zones as fixed offsets: cel-go's timestamp accessors take an IANA name or an
// offset (`getHours('+11:00')`, `'-02:30'`, `'02:00'`); the library takes names only.
// A call given an offset reads the timestamp moved by it, in UTC.
import type { CelNode } from './cel-ast.js';
import { type CheckHook, hookCheck } from './checker-hooks.js';

const accessors = new Set(
  'getFullYear getMonth getDayOfYear getDayOfMonth getDate getDayOfWeek getHours getMinutes getSeconds getMilliseconds'.split(
    ' ',
  ),
);
const offsetPattern = /^([+-])?(\d{2}):(\d{2})$/;

/** An offset in milliseconds, or undefined when `zone` is not an offset. */
function offsetOf(zone: unknown): number | undefined {
  const match = typeof zone === 'string' ? offsetPattern.exec(zone) : null;
  if (!match) return undefined;
  const [, sign, hours, minutes] = match;
  const milliseconds = (Number(hours) * 60 + Number(minutes)) * 60_000;
  return sign === '-' ? -milliseconds : milliseconds;
}

const checkAccessor: CheckHook = (checker, node, context, original) => {
  const type = original(checker, node, context);
  const inner = node.handle;
  node.handle = (values: unknown, evaluator: unknown, ast: unknown) => {
    const [timestamp, zone] = Array.isArray(values) ? values : [];
    const offset = offsetOf(zone);
    if (offset === undefined || !(timestamp instanceof Date)) return inner(values, evaluator, ast);
    return inner([new Date(timestamp.getTime() + offset), 'UTC'], evaluator, ast);
  };
  return type;
};

export function rewriteTimeZone(node: CelNode): void {
  const args = Array.isArray(node.args) ? node.args : [];
  if (node.op === 'rcall' && accessors.has(String(args[0])) && Array.isArray(args[2]) && args[2].length === 1)
    hookCheck(node, checkAccessor);
}
