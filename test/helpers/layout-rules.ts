// The layout's rules as pure functions over source texts, so that a test can run them
// over the tree and, to show they bite, over a tree made to break them.
//
// Import boundaries (README, Layout):
// - functions/core/wire.ts imports nothing.
// - functions/core/** (the kernel) imports only itself, zod, yaml, the CEL compiler, its
//   linear-time regex engine (re2js), node:util and node:crypto (hashing only): no I/O, no environment, no Azure,
//   Twilio or Kubernetes client.
// - proxy/** imports only proxy/** and functions/core/wire.ts from the repository.
// - everything else reaches the kernel through functions/core/index.ts only.
// - the function app (functions/*.ts, functions/shells/**) imports no tool and no proxy.
// - each tool (certs/, each folder of deploy/) imports no other tool and no function
//   shell; deploy/local, the development host, may load the function app's entries.
import { dirname, join, normalize, relative } from 'node:path';
import ts from 'typescript';

export interface SourceFile {
  /** Repository-relative path with forward slashes. */
  readonly path: string;
  readonly text: string;
}

// node:crypto for hashing only (approval-spec-hash.ts): createHash is pure computation, no I/O.
const kernelPackages = new Set(['zod', 'yaml', '@marcbachmann/cel-js', 're2js', 'node:util', 'node:crypto']);

/** Every import specifier of a file, static and dynamic, with `import type` included. */
export function importsOf(file: SourceFile): string[] {
  return ts.preProcessFile(file.text, true, true).importedFiles.map((entry) => entry.fileName);
}

/** The repository path a relative specifier points at (.js written, .ts on disk), else undefined. */
function resolveRelative(from: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  return normalize(join(dirname(from), specifier))
    .replace(/\.js$/, '.ts')
    .split('\\')
    .join('/');
}

function toolOf(path: string): string | undefined {
  if (path.startsWith('certs/')) return 'certs';
  const match = /^deploy\/([^/]+)\//.exec(path);
  return match ? `deploy/${match[1]}` : undefined;
}

const isKernel = (path: string) => path.startsWith('functions/core/');
const isFunctionApp = (path: string) => /^functions\/[^/]+\.ts$/.test(path) || path.startsWith('functions/shells/');

export function checkImport(from: string, specifier: string): string | undefined {
  const target = resolveRelative(from, specifier);
  const where = `${from} imports ${specifier}`;
  if (from === 'functions/core/wire.ts') return `${where}: the wire module imports nothing`;
  if (isKernel(from)) {
    if (target === undefined) return kernelPackages.has(specifier) ? undefined : `${where}: the kernel is pure`;
    return isKernel(target) ? undefined : `${where}: the kernel imports only itself`;
  }
  if (target === undefined) return undefined; // a package: each deliverable chooses its own
  if (from.startsWith('proxy/')) {
    const allowed = target.startsWith('proxy/') || target === 'functions/core/wire.ts';
    return allowed ? undefined : `${where}: the proxy imports only proxy/ and the wire module`;
  }
  if (isKernel(target) && target !== 'functions/core/index.ts')
    return `${where}: use the kernel's entry, functions/core/index.ts`;
  if (target.startsWith('proxy/')) return `${where}: the proxy is a deliverable of its own`;
  if (isFunctionApp(from)) return toolOf(target) ? `${where}: the function app imports no tool` : undefined;
  return checkToolImport(from, target, where);
}

function checkToolImport(from: string, target: string, where: string): string | undefined {
  const tool = toolOf(from);
  if (tool === undefined) return undefined;
  const targetTool = toolOf(target);
  if (targetTool !== undefined && targetTool !== tool) return `${where}: tools stand apart from each other`;
  if (target.startsWith('functions/shells/')) return `${where}: tools do not reach into the function app's shells`;
  const entry = /^functions\/[^/]+\.ts$/.test(target);
  if (entry && tool !== 'deploy/local') return `${where}: only the development host loads the function app`;
  return undefined;
}

export function checkImports(files: readonly SourceFile[]): string[] {
  return files.flatMap((file) => importsOf(file).flatMap((specifier) => checkImport(file.path, specifier) ?? []));
}

/** Files over `maxLines` lines. */
export function checkFileLengths(files: readonly SourceFile[], maxLines: number): string[] {
  return files.flatMap((file) => {
    const lines = file.text.split('\n').length - (file.text.endsWith('\n') ? 1 : 0);
    return lines > maxLines ? [`${file.path}: ${lines} lines, over ${maxLines}`] : [];
  });
}

/** Functions (declarations, methods, arrows, expressions) over `maxLines` lines. */
export function checkFunctionLengths(files: readonly SourceFile[], maxLines: number): string[] {
  const found: string[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
        if (end - start + 1 > maxLines) found.push(`${file.path}:${start + 1}: a function of ${end - start + 1} lines`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/**
 * Type assertions (`x as T`, except `as const`) without a comment that says why the
 * cast is safe: casts belong at trust boundaries, each with a "Trust boundary:" note
 * on its line or in the lines just above it.
 */
export function checkCasts(files: readonly SourceFile[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
    const lines = file.text.split('\n');
    const visit = (node: ts.Node) => {
      const isCast = ts.isAsExpression(node) || ts.isTypeAssertionExpression(node);
      if (isCast && !(ts.isAsExpression(node) && node.type.getText(source) === 'const')) {
        const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
        const context = lines.slice(Math.max(0, line - 3), line + 1).join('\n');
        if (!/trust boundary/i.test(context))
          found.push(`${file.path}:${line + 1}: ${node.getText(source).slice(0, 60)}`);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

export function relativePath(root: string, file: string): string {
  return relative(root, file).split('\\').join('/');
}
