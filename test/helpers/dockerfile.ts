// Reads a multi-stage Dockerfile into the steps a test can perform without a Docker
// engine: what the build stage copies in and runs, what the final stage copies out of
// it, its environment, and the command it starts. Only the instructions this
// project's Dockerfile uses are understood; anything else fails the test loudly.
import { readFileSync } from 'node:fs';

export interface DockerfilePlan {
  readonly buildWorkdir: string;
  readonly buildCopies: readonly { readonly from: string; readonly to: string }[];
  readonly buildRuns: readonly string[];
  readonly finalWorkdir: string;
  /** COPY --from=build <path> <dest>: paths in the build stage's filesystem. */
  readonly finalCopies: readonly { readonly from: string; readonly to: string }[];
  readonly finalEnv: Readonly<Record<string, string>>;
  readonly entrypoint: readonly string[];
}

export function readDockerfile(file: string): DockerfilePlan {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: string[][] = [];
  for (const line of lines) {
    if (line.startsWith('FROM ')) stages.push([]);
    stages.at(-1)?.push(line);
  }
  const [build, final] = [stages.at(0) ?? [], stages.at(-1) ?? []];
  const args = (line: string) => line.split(/\s+/).slice(1);
  const pick = (stage: string[], word: string) => stage.filter((line) => line.startsWith(`${word} `));
  const copy = (line: string) => {
    const [from = '', to = ''] = args(line).filter((word) => !word.startsWith('--'));
    return { from, to };
  };
  return {
    buildWorkdir:
      pick(build, 'WORKDIR')
        .map((line) => args(line)[0] ?? '/')
        .at(-1) ?? '/',
    buildCopies: pick(build, 'COPY').map(copy),
    buildRuns: pick(build, 'RUN').map((line) => line.slice('RUN '.length)),
    finalWorkdir:
      pick(final, 'WORKDIR')
        .map((line) => args(line)[0] ?? '/')
        .at(-1) ?? '/',
    finalCopies: pick(final, 'COPY').map(copy),
    finalEnv: Object.fromEntries(pick(final, 'ENV').map((line) => parseEnv(line.slice('ENV '.length)))),
    entrypoint:
      pick(final, 'ENTRYPOINT')
        .map((line): string[] => JSON.parse(line.slice('ENTRYPOINT '.length)))
        .at(-1) ?? [],
  };
}

function parseEnv(text: string): [string, string] {
  const match = /^([A-Z_]+)=("?)(.*)\2$/.exec(text);
  if (!match?.[1]) throw new Error(`ENV ${text}: expected NAME=value`);
  return [match[1], match[3] ?? ''];
}
