// Reading container image references the way the container runtime does: which part
// is the registry, and which the tag.

/** The tag of an image reference, or undefined when it has none. */
export function tagOf(image: string): string | undefined {
  const withoutDigest = image.split('@', 1)[0] ?? '';
  const lastSegment = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return colon < 0 ? undefined : lastSegment.slice(colon + 1);
}

/** Docker Hub short names made explicit: nginx -> docker.io/library/nginx. */
export function normalizeImage(image: string): string {
  const first = image.split('/', 1)[0] ?? '';
  const hasRegistry = image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasRegistry) return image;
  return image.includes('/') ? `docker.io/${image}` : `docker.io/library/${image}`;
}
