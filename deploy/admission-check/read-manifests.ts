// Reads Kubernetes manifests the way kubectl apply -f does: files, directories
// (recursively, *.yaml, *.yml, *.json), or standard input ("-"); multi-document YAML;
// JSON; List kinds expanded. Every object keeps the file and line it came from.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';
import { z } from 'zod';
import type { ErrorCode } from '../../functions/core/index.js';

export interface Manifest {
  readonly file: string;
  readonly line: number;
  readonly object: Record<string, unknown>;
}

export class ManifestError extends Error {
  readonly code = 'MANIFEST_INVALID' satisfies ErrorCode;
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(line > 0 ? `${file}:${line}: ${message}` : `${file}: ${message}`, options);
    this.name = 'ManifestError';
  }
}

const mapping = z.record(z.string(), z.unknown());
const kubernetesObject = z.looseObject({ apiVersion: z.string(), kind: z.string(), items: z.unknown().optional() });

const manifestFile = /\.(ya?ml|json)$/i;

export function listManifestFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (path === '-') return ['-'];
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(path);
    } catch (error) {
      throw new ManifestError(path, 0, 'no such file or directory', { cause: error });
    }
    if (!stats.isDirectory()) return [path];
    return readdirSync(path)
      .sort()
      .flatMap((name) => {
        const child = join(path, name);
        return statSync(child).isDirectory() ? listManifestFiles([child]) : manifestFile.test(name) ? [child] : [];
      });
  });
}

export function parseManifests(file: string, text: string): Manifest[] {
  const lineCounter = new LineCounter();
  const manifests: Manifest[] = [];
  for (const document of parseAllDocuments(text, { lineCounter, uniqueKeys: true })) {
    const start = document.contents?.range[0] ?? document.range[0];
    const line = lineCounter.linePos(start).line;
    const [error] = document.errors;
    if (error)
      throw new ManifestError(
        file,
        error.linePos?.[0].line ?? line,
        `not valid YAML or JSON: ${error.message.split('\n')[0]}`,
      );
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue; // an empty document, as between two "---"
    const object = mapping.safeParse(value);
    if (!object.success) {
      throw new ManifestError(file, line, 'expected a Kubernetes object (a mapping with apiVersion and kind)');
    }
    const header = kubernetesObject.safeParse(object.data);
    if (!header.success) {
      throw new ManifestError(file, line, 'expected a Kubernetes object: apiVersion and kind are required');
    }
    if (header.data.kind.endsWith('List') && Array.isArray(header.data.items)) {
      manifests.push(...readListItems(file, line, header.data.items));
    } else {
      manifests.push({ file, line, object: object.data });
    }
  }
  return manifests;
}

/** The items of a List, each a Kubernetes object; one that is not is an error, never skipped. */
function readListItems(file: string, line: number, items: readonly unknown[]): Manifest[] {
  return items.map((item, index) => {
    const object = mapping.safeParse(item);
    if (!object.success) throw new ManifestError(file, line, `items[${index}]: expected a Kubernetes object`);
    return { file, line, object: object.data };
  });
}

export function readManifests(paths: readonly string[], readStdin: () => string): Manifest[] {
  return listManifestFiles(paths).flatMap((file) => {
    const name = file === '-' ? '(stdin)' : file;
    return parseManifests(name, file === '-' ? readStdin() : readFileSync(file, 'utf8'));
  });
}
