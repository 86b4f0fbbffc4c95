// Kubernetes' URL library: url("https://example.com:8443/path?x=1"), isURL, and
// getScheme, getHost (with the port), getHostname, getPort, getEscapedPath (getPath
// too) and getQuery (a map from each key to its values). As in Kubernetes, a URL is
// absolute, or a path starting with "/".

const type = 'kubernetes.URL';

export class CelUrl {
  constructor(
    readonly url: URL,
    readonly relative: boolean,
  ) {}
}

function parseUrl(text: string): CelUrl | undefined {
  if (!URL.canParse(text) && !text.startsWith('/')) return undefined;
  if (URL.canParse(text)) return new CelUrl(new URL(text), false);
  return URL.canParse(text, 'http://relative.invalid')
    ? new CelUrl(new URL(text, 'http://relative.invalid'), true)
    : undefined;
}

function url(text: string): CelUrl {
  const parsed = parseUrl(text);
  if (!parsed) throw new Error(`not a URL: ${text.slice(0, 60)}`);
  return parsed;
}

function query(value: CelUrl): Map<string, string[]> {
  const result = new Map<string, string[]>();
  for (const [key, entry] of value.url.searchParams) result.set(key, [...(result.get(key) ?? []), entry]);
  return result;
}

const part = (read: (url: URL) => string) => (value: CelUrl) => (value.relative ? '' : read(value.url));

export function registerUrl(environment: import('@marcbachmann/cel-js').Environment) {
  return environment
    .registerType(type, CelUrl)
    .registerFunction(`url(string): ${type}`, url)
    .registerFunction('isURL(string): bool', (text: string) => parseUrl(text) !== undefined)
    .registerFunction(
      `${type}.getScheme(): string`,
      part((u) => u.protocol.replace(/:$/, '')),
    )
    .registerFunction(
      `${type}.getHost(): string`,
      part((u) => u.host),
    )
    .registerFunction(
      `${type}.getHostname(): string`,
      part((u) => u.hostname.replace(/^\[|\]$/g, '')),
    )
    .registerFunction(
      `${type}.getPort(): string`,
      part((u) => u.port),
    )
    .registerFunction(`${type}.getEscapedPath(): string`, (value: CelUrl) => value.url.pathname)
    .registerFunction(`${type}.getPath(): string`, (value: CelUrl) => value.url.pathname)
    .registerFunction(`${type}.getQuery(): map<string, list<string>>`, query);
}
