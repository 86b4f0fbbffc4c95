// Renders a kustomization as `kubectl apply -k` would. Uses `kubectl kustomize` when
// kubectl is installed; without it, the base can still be read file by file (its
// files name their namespace themselves), and overlays cannot be rendered. Every
// document is checked to be a Kubernetes object; fields past the metadata are
// unknown until a kind's guard (kubernetes-models' `Deployment.is`, ...) narrows them.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { z } from 'zod';

const stringMap = z.record(z.string(), z.string());
const kubernetesObjectSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({
    name: z.string(),
    namespace: z.string().optional(),
    labels: stringMap.optional(),
    annotations: stringMap.optional(),
  }),
});
export type KubernetesObject = z.infer<typeof kubernetesObjectSchema>;

const kustomizationSchema = z.object({ resources: z.array(z.string()) });

export const kubectlAvailable = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
})();

/** The documents of a YAML stream, empty ones left out. */
function parseDocuments(text: string): unknown[] {
  return parseAllDocuments(text)
    .map((document): unknown => {
      if (document.errors.length > 0) throw new Error(`invalid YAML: ${document.errors[0]?.message}`);
      return document.toJS();
    })
    .filter((value) => value !== null && value !== undefined);
}

export function parseYaml(text: string): KubernetesObject[] {
  return parseDocuments(text).map((value) => {
    const parsed = kubernetesObjectSchema.safeParse(value);
    if (!parsed.success) throw new Error(`not a Kubernetes object: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  });
}

/** The objects of one kind, narrowed by that kind's guard. */
export function ofKind<T>(objects: readonly unknown[] | undefined, guard: (value: unknown) => value is T): T[] {
  const found: T[] = [];
  for (const object of objects ?? []) if (guard(object)) found.push(object);
  return found;
}

export function render(directory: string): KubernetesObject[] | undefined {
  if (kubectlAvailable)
    return parseYaml(execFileSync('kubectl', ['kustomize', directory], { encoding: 'utf8', timeout: 30_000 }));
  const [kustomization] = parseDocuments(readFileSync(join(directory, 'kustomization.yaml'), 'utf8'));
  const { resources } = kustomizationSchema.parse(kustomization);
  if (resources.some((resource) => resource.startsWith('..'))) return undefined;
  return resources.flatMap((file) => parseYaml(readFileSync(join(directory, file), 'utf8')));
}
