// Renders a kustomization as `kubectl apply -k` would. Uses `kubectl kustomize` when
// kubectl is installed; without it, the base can still be read file by file (its
// files name their namespace themselves), and overlays cannot be rendered. Every
// document is checked to be a Kubernetes object; fields past the metadata are
// unknown until a kind's guard (kubernetes-models' `Deployment.is`, ...) narrows them.
//
// Overlays that read git-ignored files (certificates, the function key) are rendered
// from a staged copy of deploy/kubernetes, with files the test writes: a developer's
// own files in the working tree never reach a test.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
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

/** What `kubectl kustomize` made of a directory: its objects, or its error message. */
export type Rendering = { readonly objects: KubernetesObject[] } | { readonly error: string };

/** The git-ignored inputs of the overlays; never copied into a staged tree. */
export const overlayInputFiles = ['ca.crt', 'ca.key', 'tls.crt', 'tls.key', 'function-key'] as const;
export type OverlayInputFile = (typeof overlayInputFiles)[number];

export const kubectlAvailable = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
})();

/** The documents of a YAML stream, empty ones left out. */
export function parseDocuments(text: string): unknown[] {
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

/** `kubectl kustomize directory`; a failure is returned with kubectl's message, not thrown. */
export function tryRender(directory: string): Rendering {
  try {
    const output = execFileSync('kubectl', ['kustomize', directory], {
      encoding: 'utf8',
      timeout: 30_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return { objects: parseYaml(output) };
  } catch (error) {
    return { error: describeFailure(error) };
  }
}

/** kubectl's own message (its stderr) when there is one. */
function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return 'kubectl kustomize failed';
  if ('stderr' in error && typeof error.stderr === 'string' && error.stderr.trim()) return error.stderr.trim();
  return error.message;
}

/** The objects of a kustomization; undefined when it cannot be rendered without kubectl. */
export function render(directory: string): KubernetesObject[] | undefined {
  if (kubectlAvailable) {
    const rendering = tryRender(directory);
    if ('error' in rendering) throw new Error(`kubectl kustomize ${directory} failed: ${rendering.error}`);
    return rendering.objects;
  }
  const [kustomization] = parseDocuments(readFileSync(join(directory, 'kustomization.yaml'), 'utf8'));
  const { resources } = kustomizationSchema.parse(kustomization);
  if (resources.some((resource) => resource.startsWith('..'))) return undefined;
  return resources.flatMap((file) => parseYaml(readFileSync(join(directory, file), 'utf8')));
}

/** A copy of the manifest tree in a new temporary directory, without any overlay input files. */
export function stageManifests(source: string, prefix = 'manifests-'): string {
  const staged = mkdtempSync(join(tmpdir(), prefix));
  const ignored = new Set<string>(overlayInputFiles);
  cpSync(source, staged, { recursive: true, filter: (path) => !ignored.has(basename(path)) });
  return staged;
}

/** Writes overlay input files (name to content) into a directory of a staged tree. */
export function writeInputFiles(directory: string, files: Partial<Record<OverlayInputFile, string>>): void {
  for (const [name, content] of Object.entries(files)) writeFileSync(join(directory, name), content);
}

/** Writes a kustomization.yaml (a test's own overlay) into a new directory. */
export function writeKustomization(directory: string, kustomization: Record<string, unknown>): string {
  mkdirSync(directory, { recursive: true });
  writeFileSync(
    join(directory, 'kustomization.yaml'),
    stringify({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization', ...kustomization }),
  );
  return directory;
}
