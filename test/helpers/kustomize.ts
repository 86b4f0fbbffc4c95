// Renders a kustomization as `kubectl apply -k` would. Uses `kubectl kustomize` when
// kubectl is installed; without it, the base can still be read file by file (its
// files name their namespace themselves), and overlays cannot be rendered.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface KubernetesObject {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [field: string]: any;
}

export const kubectlAvailable = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
})();

export function parseYaml(text: string): KubernetesObject[] {
  return parseAllDocuments(text)
    .map((document) => {
      if (document.errors.length > 0) throw new Error(`invalid YAML: ${document.errors[0]?.message}`);
      return document.toJS() as KubernetesObject | null;
    })
    .filter((object): object is KubernetesObject => object !== null);
}

export function render(directory: string): KubernetesObject[] | undefined {
  if (kubectlAvailable)
    return parseYaml(execFileSync('kubectl', ['kustomize', directory], { encoding: 'utf8', timeout: 30_000 }));
  const kustomization = parseYaml(readFileSync(join(directory, 'kustomization.yaml'), 'utf8'))[0] as unknown as {
    resources: string[];
  };
  if (kustomization.resources.some((resource) => resource.startsWith('..'))) return undefined;
  return kustomization.resources.flatMap((file) => parseYaml(readFileSync(join(directory, file), 'utf8')));
}
