// A queue message notify cannot read still names its object in the log line that
// sends it to the poison queue, as far as it can be read: kind, namespace, name and
// uid, each cut short. Nothing else from it is logged (it may hold anything).
const maxField = 100;

export function describeUnreadMessage(message: unknown): Record<string, string> {
  let value = message;
  if (typeof message === 'string') {
    try {
      value = JSON.parse(message);
    } catch {
      return {}; // not JSON: nothing to name
    }
  }
  const notification = field(value, 'notification');
  const named: Record<string, string> = {};
  for (const name of ['kind', 'namespace', 'name', 'uid']) {
    const text = field(notification, name);
    if (typeof text === 'string') named[name] = text.slice(0, maxField);
  }
  return named;
}

function field(value: unknown, name: string): unknown {
  return typeof value === 'object' && value !== null && name in value ? Reflect.get(value, name) : undefined;
}
