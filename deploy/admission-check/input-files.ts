// The files admission-check reads, found and read within bounds: files, directories
// (recursively, *.yaml, *.yml, *.json), or standard input ("-"). Only regular files are
// read (a device such as /dev/zero, a FIFO or a socket is refused, not drained), each up
// to a size cap; a symlink loop or a missing file is one line naming the path. A path
// that cannot be read is reported and the others are still read.
import { closeSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ErrorCode } from '../../functions/core/index.js';

/**
 * The most one file (or standard input) may hold: 16 MiB. The API server takes at most
 * 3 MiB per object, so this is several full-size objects; a file larger than that is
 * almost surely not a manifest (a log, a binary, a device) and is not worth the memory.
 */
export const maxInputBytes = 16 * 1024 * 1024;

/** An input that cannot be read (a file, an object, a list in a cluster), with the reason in one line. */
export interface InputProblem {
  readonly code: ErrorCode;
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface InputText {
  readonly file: string;
  readonly text: string;
}

const manifestFile = /\.(ya?ml|json)$/i;

const systemReasons: Readonly<Record<string, string>> = {
  ENOENT: 'no such file or directory',
  ELOOP: 'a symbolic link loop',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOTDIR: 'a path component is not a directory',
  ENAMETOOLONG: 'the path is too long',
  EISDIR: 'a directory',
};

/** One line for a failed file operation: the system's code in words, never its raw message. */
export function describeFileError(error: unknown): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  return systemReasons[code] ?? (code ? `cannot be read (${code})` : 'cannot be read');
}

const unreadable = (file: string, reason: string): InputProblem => ({
  code: 'INPUT_UNREADABLE',
  file,
  line: 0,
  reason,
});

/** The files named, directories expanded in name order; each path that cannot be listed is a problem. */
export function listInputFiles(
  paths: readonly string[],
  pattern: RegExp = manifestFile,
): { files: string[]; problems: InputProblem[] } {
  const files: string[] = [];
  const problems: InputProblem[] = [];
  const visited = new Set<string>();
  const visit = (path: string, named: boolean) => {
    if (path === '-' && named) return void files.push('-');
    let stats: ReturnType<typeof statSync>;
    try {
      stats = statSync(path);
    } catch (error) {
      // Inside a folder only a would-be manifest is worth a word (a dangling README link is not).
      if (named || pattern.test(path)) problems.push(unreadable(path, describeFileError(error)));
      return;
    }
    if (!stats.isDirectory()) {
      if (named || pattern.test(path)) files.push(path);
      return;
    }
    let names: string[];
    try {
      // A directory reached twice (a symlink back up the tree) is read once.
      const real = realpathSync(path);
      if (visited.has(real)) return;
      visited.add(real);
      names = readdirSync(path).sort();
    } catch (error) {
      return void problems.push(unreadable(path, describeFileError(error)));
    }
    for (const name of names) visit(join(path, name), false);
  };
  for (const path of paths) visit(path, true);
  return { files, problems };
}

/** A regular file's text, at most maxInputBytes; else the reason it was not read. */
export function readInputFile(file: string, limit = maxInputBytes): InputText | InputProblem {
  let descriptor: number;
  let size: number;
  try {
    const stats = statSync(file);
    if (!stats.isFile()) return unreadable(file, 'not a regular file (a device, FIFO or socket is not read)');
    if (stats.size > limit) return unreadable(file, `too large; the limit is ${limit} bytes`);
    size = stats.size;
    descriptor = openSync(file, 'r');
  } catch (error) {
    return unreadable(file, describeFileError(error));
  }
  try {
    const text = readBounded(descriptor, size, limit);
    return text === undefined ? unreadable(file, `too large; the limit is ${limit} bytes`) : { file, text };
  } catch (error) {
    return unreadable(file, describeFileError(error));
  } finally {
    closeSync(descriptor);
  }
}

/** Reads to the end, or undefined past `limit` (a file that grows while read is still bounded). */
function readBounded(descriptor: number, expected: number, limit: number): string | undefined {
  let buffer = Buffer.alloc(expected + 1);
  let length = 0;
  for (;;) {
    const read = readSync(descriptor, buffer, length, buffer.length - length, null);
    if (read === 0) return buffer.toString('utf8', 0, length);
    length += read;
    if (length > limit) return undefined;
    if (length === buffer.length) buffer = Buffer.concat([buffer, Buffer.alloc(Math.min(buffer.length, limit + 1))]);
  }
}

/** Standard input, at most maxInputBytes; stops reading past the limit. */
export async function readStandardInput(
  stream: AsyncIterable<Buffer> = process.stdin,
  limit = maxInputBytes,
): Promise<InputText | InputProblem> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of stream) {
    length += chunk.length;
    if (length > limit) return unreadable('(stdin)', `too large; the limit is ${limit} bytes`);
    chunks.push(chunk);
  }
  return { file: '(stdin)', text: Buffer.concat(chunks).toString('utf8') };
}
