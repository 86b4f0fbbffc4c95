// Reading container image references the way the container runtime does: which part
// is the registry, which the repository path, and which the tag. Docker's rules: the
// first component is a registry only when it has a `.` or a `:`, or is `localhost`;
// otherwise the image is on Docker Hub (docker.io), where a one-component path is
// under `library/`.

export interface ImageReference {
  /** Lowercase host (and port): `docker.io`, `myregistry.azurecr.io`, `localhost:5000`. */
  readonly registry: string;
  /** The repository path on the registry: `library/nginx`, `shop/web`. */
  readonly path: string;
  /** `registry/path`, tag and digest left out. */
  readonly repository: string;
  /** `registry/path[:tag][@digest]`, as the runtime pulls it. */
  readonly normalized: string;
}

const dockerHub = 'docker.io';
const dockerHubAliases = new Set(['docker.io', 'index.docker.io']);

/** The tag of an image reference, or undefined when it has none. */
export function tagOf(image: string): string | undefined {
  const withoutDigest = image.split('@', 1)[0] ?? '';
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}

export function parseImageReference(image: string): ImageReference {
  const at = image.indexOf('@');
  const name = at < 0 ? image : image.slice(0, at);
  const tag = tagOf(image);
  const repositoryText = tag === undefined ? name : name.slice(0, name.length - tag.length - 1);
  const slash = repositoryText.indexOf('/');
  const first = slash < 0 ? '' : repositoryText.slice(0, slash);
  const hasRegistry = first.includes('.') || first.includes(':') || first === 'localhost';
  const host = hasRegistry ? first.toLowerCase() : dockerHub;
  const registry = dockerHubAliases.has(host) ? dockerHub : host;
  const rest = hasRegistry ? repositoryText.slice(slash + 1) : repositoryText;
  const path = registry === dockerHub && !rest.includes('/') ? `library/${rest}` : rest;
  const repository = `${registry}/${path}`;
  const suffix = `${tag === undefined ? '' : `:${tag}`}${at < 0 ? '' : image.slice(at)}`;
  return { registry, path, repository, normalized: `${repository}${suffix}` };
}

/** Docker Hub short names made explicit: nginx -> docker.io/library/nginx. */
export function normalizeImage(image: string): string {
  return parseImageReference(image).normalized;
}

/**
 * Whether an image comes from `source`: a registry (`myregistry.azurecr.io`, matched
 * whole) or a registry and path (`myregistry.azurecr.io/shop`, matched at `/`
 * boundaries). A trailing `/` is allowed and ignored. Docker Hub aliases count as
 * docker.io; a source's path is not given Docker Hub's `library/` (it is a prefix).
 */
export function matchesImageSource(source: string, image: ImageReference): boolean {
  const trimmed = source.replace(/\/+$/, '');
  const slash = trimmed.indexOf('/');
  const host = (slash < 0 ? trimmed : trimmed.slice(0, slash)).toLowerCase();
  const registry = dockerHubAliases.has(host) ? dockerHub : host;
  if (registry !== image.registry) return false;
  if (slash < 0) return true;
  const path = trimmed.slice(slash + 1);
  return image.path === path || image.path.startsWith(`${path}/`);
}
