// Reads Kubernetes manifests the way kubectl apply -f does: files, directories
// (recursively, *.yaml, *.yml, *.json), or standard input ("-"); multi-document YAML;
// JSON; List kinds expanded. Every object keeps the file and line it came from.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LineCounter, parseAllDocuments } from 'yaml';

export interface Manifest {
  readonly file: string;
  readonly line: number;
  readonly object: Record<string, unknown>;
}

export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${message}` : `${file}: ${message}`);
    this.name = 'ManifestError';
  }
}

const manifestFile = /\.(ya?ml|json)$/i;

export function listManifestFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (path === '-') return ['-'];
    let stats;
    try {
      stats = statSync(path);
    } catch {
      throw new ManifestError(path, 0, 'no such file or directory');
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
    if (typeof value !== 'object' || Array.isArray(value))
      throw new ManifestError(file, line, 'expected a Kubernetes object (a mapping with apiVersion and kind)');
    const object = value as Record<string, unknown>;
    if (typeof object.apiVersion !== 'string' || typeof object.kind !== 'string') {
      throw new ManifestError(file, line, 'expected a Kubernetes object: apiVersion and kind are required');
    }
    if (object.kind.endsWith('List') && Array.isArray(object.items)) {
      for (const item of object.items) manifests.push({ file, line, object: item as Record<string, unknown> });
    } else {
      manifests.push({ file, line, object });
    }
  }
  return manifests;
}

export function readManifests(paths: readonly string[], readStdin: () => string): Manifest[] {
  return listManifestFiles(paths).flatMap((file) => {
    const name = file === '-' ? '(stdin)' : file;
    return parseManifests(name, file === '-' ? readStdin() : readFileSync(file, 'utf8'));
  });
}
