// Images in CEL, as the engine reads them (functions/core/rules/image-reference.ts):
// no registry means docker.io, a one-part name is under library/, index.docker.io is
// docker.io. Normalizing each image in CEL took some 15 string operations a container,
// over the API server's cost limit for a list of the object's size; so the policy's
// side is expanded instead, into regexes over the image as written, and a container
// costs at most three `matches`.
import { celString, patternRegex } from './cel-text.js';

/** The first path component names a registry: it has a `.` or `:`, or is localhost. */
export const hasRegistry = celString('^([^/]*[.:][^/]*|localhost)/');

const dockerHubPrefix = '(?i:(index\\.)?docker\\.io)/';

function escapeRegex(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\*]/g, '\\$&');
}

/**
 * exemptImages patterns as one regex over the image as written that also matches what
 * reads as a pattern for Docker Hub: `docker.io/library/busybox:*` also matches
 * `busybox:1.36`, `library/busybox:1.36` and `index.docker.io/busybox:1.36`.
 */
export function exemptImagesRegex(patterns: readonly string[]): string {
  const forms = patterns.flatMap((pattern) => {
    if (!pattern.startsWith('docker.io/')) return [pattern];
    const path = pattern.slice('docker.io/'.length);
    const short = path.startsWith('library/') ? path.slice('library/'.length) : undefined;
    const shortForm = short !== undefined && !short.includes('/') ? [short] : [];
    const withHost = [path, ...shortForm].flatMap((form) => [`docker.io/${form}`, `index.docker.io/${form}`]);
    return [path, ...shortForm, ...withHost];
  });
  return patternRegex([...new Set(forms)]);
}

/** The CEL condition that `image` comes from one of `registries`, at `/` boundaries. */
export function allowedRegistryCel(image: string, registries: readonly string[]): string {
  const explicit: string[] = [];
  const short: string[] = [];
  for (const registry of registries) {
    const trimmed = registry.replace(/\/+$/, '');
    const slash = trimmed.indexOf('/');
    const host = (slash < 0 ? trimmed : trimmed.slice(0, slash)).toLowerCase();
    const path = slash < 0 ? '' : trimmed.slice(slash + 1);
    const tail = path === '' ? '' : `${escapeRegex(path)}([/:@]|$)`;
    if (host === 'docker.io' || host === 'index.docker.io') {
      explicit.push(`${dockerHubPrefix}${tail}`);
      short.push(...dockerHubShortForms(path));
    } else if (/[.:]/.test(host) || host === 'localhost') explicit.push(`(?i:${escapeRegex(host)})/${tail}`);
    // A host without `.` or `:` (not localhost) is read as a Docker Hub path: no image comes from it.
  }
  const terms = [
    ...(explicit.length > 0 ? [`${image}.matches(${celString(`^(${explicit.join('|')})`)})`] : []),
    ...(short.length > 0
      ? [`(!${image}.matches(${hasRegistry}) && ${image}.matches(${celString(`^(${short.join('|')})`)}))`]
      : []),
  ];
  return terms.length > 0 ? terms.join(' || ') : 'false';
}

/** Docker Hub images written without a registry that come from `docker.io/<path>`. */
function dockerHubShortForms(path: string): string[] {
  if (path === '') return ['.*'];
  const forms = [`${escapeRegex(path)}([/:@]|$)`];
  if (path === 'library') forms.push('[^/]*$');
  else if (path.startsWith('library/') && !path.slice('library/'.length).includes('/'))
    forms.push(`${escapeRegex(path.slice('library/'.length))}([:@]|$)`);
  return forms;
}
