// Reads Kubernetes manifests the way kubectl apply -f does: multi-document YAML, JSON,
// List kinds expanded. Every object keeps the file and line it came from. A document
// that is not YAML, or not a Kubernetes object, is a problem reported with its file and
// line; the documents around it are still read.
import { LineCounter, parseAllDocuments } from 'yaml';
import { z } from 'zod';
import { type InputProblem, type InputText, listInputFiles, readInputFile, readStandardInput } from './input-files.js';

export interface Manifest {
  readonly file: string;
  readonly line: number;
  readonly object: Record<string, unknown>;
}

export interface ManifestSet {
  readonly manifests: readonly Manifest[];
  readonly problems: readonly InputProblem[];
}

/**
 * Aliases one document may expand: yaml's own default, stated here because a "billion
 * laughs" document (aliases of aliases) must end as a reported problem, not a crash.
 */
export const maxAliasCount = 100;

const mapping = z.record(z.string(), z.unknown());
const kubernetesObject = z.looseObject({ apiVersion: z.string(), kind: z.string(), items: z.unknown().optional() });

const invalid = (file: string, line: number, reason: string): InputProblem => ({
  code: 'MANIFEST_INVALID',
  file,
  line,
  reason,
});

export function parseManifests(file: string, text: string): ManifestSet {
  const lineCounter = new LineCounter();
  const manifests: Manifest[] = [];
  const problems: InputProblem[] = [];
  for (const document of parseAllDocuments(text, { lineCounter, uniqueKeys: true })) {
    const start = document.contents?.range[0] ?? document.range[0];
    const line = lineCounter.linePos(start).line;
    const [error] = document.errors;
    if (error) {
      const at = error.linePos?.[0].line ?? line;
      problems.push(invalid(file, at, `not valid YAML or JSON: ${error.message.split('\n')[0]}`));
      continue;
    }
    let value: unknown;
    try {
      value = document.toJS({ maxAliasCount });
    } catch {
      // yaml throws a ReferenceError for an alias bomb (and for an undefined alias).
      problems.push(invalid(file, line, `YAML aliases expand too far or are undefined (limit ${maxAliasCount})`));
      continue;
    }
    if (value === null || value === undefined) continue; // an empty document, as between two "---"
    const read = readObject(file, line, value);
    manifests.push(...read.manifests);
    problems.push(...read.problems);
  }
  return { manifests, problems };
}

function readObject(file: string, line: number, value: unknown): ManifestSet {
  const object = mapping.safeParse(value);
  if (!object.success) {
    return {
      manifests: [],
      problems: [invalid(file, line, 'not a Kubernetes object (a mapping with apiVersion and kind)')],
    };
  }
  const header = kubernetesObject.safeParse(object.data);
  if (!header.success) {
    const hint = /(^|\/)Chart\.ya?ml$/.test(file) ? ' (a Helm Chart.yaml: render the chart with helm template)' : '';
    return {
      manifests: [],
      problems: [invalid(file, line, `not a Kubernetes object: apiVersion and kind are required${hint}`)],
    };
  }
  if (!(header.data.kind.endsWith('List') && Array.isArray(header.data.items))) {
    return { manifests: [{ file, line, object: object.data }], problems: [] };
  }
  // The items of a List: one that is not an object is reported, never skipped in silence.
  const manifests: Manifest[] = [];
  const problems: InputProblem[] = [];
  header.data.items.forEach((item, index) => {
    const parsed = mapping.safeParse(item);
    if (parsed.success) manifests.push({ file, line, object: parsed.data });
    else problems.push(invalid(file, line, `items[${index}]: not a Kubernetes object`));
  });
  return { manifests, problems };
}

/** Every manifest under the paths; files and documents that cannot be read are problems. */
export async function readManifests(paths: readonly string[]): Promise<ManifestSet> {
  const listed = listInputFiles(paths);
  const manifests: Manifest[] = [];
  const problems: InputProblem[] = [...listed.problems];
  for (const file of listed.files) {
    const input: InputText | InputProblem = file === '-' ? await readStandardInput() : readInputFile(file);
    if ('reason' in input) {
      problems.push(input);
      continue;
    }
    const parsed = parseManifests(input.file, input.text);
    manifests.push(...parsed.manifests);
    problems.push(...parsed.problems);
  }
  return { manifests, problems };
}
