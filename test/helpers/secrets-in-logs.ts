// The check every resilience test ends with: no log line it produced carries a secret
// (function key, Twilio token, phone number). Failures name the secret, never its value.
export function secretsFoundIn(logs: string | readonly string[], secrets: Readonly<Record<string, string>>): string[] {
  const text = typeof logs === 'string' ? logs : logs.join('\n');
  return Object.entries(secrets)
    .filter(([, value]) => value.length > 0 && text.includes(value))
    .map(([name]) => name);
}
