// Image references read as the container runtime reads them, and allowed-registries
// deciding on the registry (and path) they name, not on a prefix of the text.
import { describe, expect, it } from 'vitest';
import { compilePattern } from '../../functions/core/patterns.js';
import * as rules from '../../functions/core/rules/builtin-rules.js';
import { matchesImageSource, parseImageReference } from '../../functions/core/rules/image-reference.js';
import { readWorkload } from './read-workload.js';

function imagesDenied(check: rules.Check, ...images: string[]): string[] {
  const containers = images.map((image, index) => ({ name: `c${index}`, image }));
  const { request, target } = readWorkload('Deployment', {
    metadata: { name: 'web' },
    spec: { template: { spec: { containers } } },
  });
  return check({ workload: target.workload, request, object: target.object, oldObject: undefined }).map(
    (violation) => violation.reason,
  );
}

describe('reading an image reference', () => {
  it.each([
    ['nginx', 'docker.io', 'library/nginx'],
    ['nginx:1.27', 'docker.io', 'library/nginx'],
    ['bitnami/redis:7', 'docker.io', 'bitnami/redis'],
    ['docker.io/nginx', 'docker.io', 'library/nginx'],
    ['index.docker.io/library/nginx', 'docker.io', 'library/nginx'],
    ['MyRegistry.azurecr.io/a/b:1.0', 'myregistry.azurecr.io', 'a/b'],
    ['localhost:5000/web', 'localhost:5000', 'web'],
    ['ghcr.io/o/i:v2@sha256:ab', 'ghcr.io', 'o/i'],
    ['myregistry.azurecr.io.evil.com/app', 'myregistry.azurecr.io.evil.com', 'app'],
  ])('%s is %s / %s', (image, registry, path) => {
    expect(parseImageReference(image)).toMatchObject({ registry, path });
  });

  it.each<[string, string, boolean]>([
    ['myregistry.azurecr.io', 'myregistry.azurecr.io/app:1', true],
    ['myregistry.azurecr.io/', 'myregistry.azurecr.io/app:1', true],
    ['myregistry.azurecr.io', 'myregistry.azurecr.io.evil.com/app:1', false],
    ['myregistry.azurecr.io', 'myregistry.azurecr.iox/app:1', false],
    ['myregistry.azurecr.io/shop', 'myregistry.azurecr.io/shop/web:1', true],
    ['myregistry.azurecr.io/shop', 'myregistry.azurecr.io/shopping/web:1', false],
    ['docker.io/library', 'nginx:1.27', true],
    ['docker.io/library/', 'nginx:1.27', true],
    ['docker.io', 'bitnami/redis:7', true],
    ['docker.io/bitnami', 'nginx:1.27', false],
  ])('allowing %s, %s is allowed: %s', (entry, image, allowed) => {
    expect(matchesImageSource(entry, parseImageReference(image))).toBe(allowed);
  });
});

describe('allowed-registries', () => {
  it('refuses a registry whose name only starts with an allowed one', () => {
    expect(
      imagesDenied(rules.allowedRegistries(['myregistry.azurecr.io'], []), 'myregistry.azurecr.io.evil.com/app:1'),
    ).toEqual(['c0 image from a registry not allowed']);
  });

  it('skips images that exemptImages names', () => {
    const check = rules.allowedRegistries(['myregistry.azurecr.io'], [compilePattern('docker.io/library/busybox:*')]);
    expect(imagesDenied(check, 'busybox:1.36', 'nginx:1.27')).toEqual(['c1 image from a registry not allowed']);
  });
});

describe('image-tag with exemptImages', () => {
  it('skips an exempt image and still checks the others', () => {
    const check = rules.imageTag([compilePattern('mcr.microsoft.com/*')]);
    expect(imagesDenied(check, 'mcr.microsoft.com/oss/pause', 'nginx')).toEqual(['c1 image has no tag']);
  });
});
