// Reading inputs within bounds: a size cap on files and on standard input, regular
// files only, a symlink loop in one line, and directories walked once each.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { listInputFiles, readInputFile, readStandardInput } from '../../deploy/admission-check/input-files.js';

describe('reading inputs', () => {
  it('refuses a file over the cap without reading it whole', () => {
    const directory = mkdtempSync(join(tmpdir(), 'input-'));
    writeFileSync(join(directory, 'big.yaml'), 'x'.repeat(2048));
    expect(readInputFile(join(directory, 'big.yaml'), 1024)).toMatchObject({
      reason: 'too large; the limit is 1024 bytes',
    });
    expect(readInputFile(join(directory, 'big.yaml'), 4096)).toMatchObject({ text: 'x'.repeat(2048) });
  });

  it('stops reading standard input past the cap', async () => {
    const endless = Readable.from(
      (function* () {
        for (;;) yield Buffer.alloc(1024);
      })(),
    );
    expect(await readStandardInput(endless, 10_000)).toMatchObject({
      code: 'INPUT_UNREADABLE',
      reason: 'too large; the limit is 10000 bytes',
    });
  });

  it('refuses a FIFO instead of waiting on it', () => {
    const directory = mkdtempSync(join(tmpdir(), 'input-'));
    execFileSync('mkfifo', [join(directory, 'pipe.yaml')]);
    expect(readInputFile(join(directory, 'pipe.yaml'))).toMatchObject({
      reason: expect.stringContaining('not a regular file'),
    });
  });

  it('walks a directory that links back to itself once', () => {
    const directory = mkdtempSync(join(tmpdir(), 'input-'));
    mkdirSync(join(directory, 'k8s'));
    writeFileSync(join(directory, 'k8s', 'a.yaml'), 'a: 1\n');
    symlinkSync(directory, join(directory, 'k8s', 'up'));
    const { files, problems } = listInputFiles([join(directory, 'k8s')]);
    expect(files).toEqual([join(directory, 'k8s', 'a.yaml')]);
    expect(problems).toEqual([]);
  });
});
