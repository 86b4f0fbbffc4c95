// The processes of the local stack: started with this Node, their output prefixed with
// their name, and stopped together (SIGTERM, then exit after at most 10 s).
import { type ChildProcess, spawn } from 'node:child_process';

export interface ProcessGroup {
  start(name: string, args: readonly string[], env: Readonly<Record<string, string>>): ChildProcess;
  /** A child started elsewhere (Azurite), stopped with the others. */
  adopt(child: ChildProcess): void;
  /** Stops every child still running, then exits with `code`; later calls do nothing. */
  stop(code: number): void;
}

export function createProcessGroup(cwd: string): ProcessGroup {
  const children: ChildProcess[] = [];
  let stopping = false;
  return {
    start(name, args, env) {
      const child = spawn(process.execPath, [...args], {
        cwd,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      for (const stream of [child.stdout, child.stderr]) {
        stream?.on('data', (chunk: Buffer) => {
          for (const line of String(chunk).split('\n').filter(Boolean)) console.log(`[${name}] ${line}`);
        });
      }
      child.on('exit', (code, signal) => {
        if (stopping) return;
        const how = signal ? `signal ${signal}` : `code ${code}`;
        console.log(
          name === 'functions'
            ? `[functions] exited (${how}); the proxy keeps running and answers per FAILURE_MODE`
            : `[${name}] exited (${how})`,
        );
      });
      return child;
    },
    adopt(child) {
      children.push(child);
    },
    stop(code) {
      if (stopping) return;
      stopping = true;
      const exits = children
        .filter((child) => child.exitCode === null && child.signalCode === null)
        .map(
          (child) =>
            new Promise((resolve) => {
              child.once('exit', resolve);
              child.kill('SIGTERM');
            }),
        );
      Promise.all(exits).then(() => process.exit(code));
      setTimeout(() => process.exit(code), 10_000).unref();
    },
  };
}

/** Resolves once the child prints a line matching `pattern`; rejects if it exits first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      if (pattern.test(String(chunk))) {
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`a process of the stack exited (code ${code}) before it was ready; see its output above`)),
    );
  });
}
