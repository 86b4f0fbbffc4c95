// Reads a multi-stage Dockerfile into the steps a test can perform without a Docker
// engine: the build stage's COPY and RUN instructions in order, what the final stage
// copies out of it, its environment, and the command it starts. Only the instructions
// this project's Dockerfile uses are understood; anything else fails the test loudly.
import { readFileSync } from 'node:fs';

/** COPY <sources...> <dest>: with several sources, <dest> is a directory, as in Docker. */
export interface Copy {
  readonly from: readonly string[];
  readonly to: string;
}

export type BuildStep = { readonly copy: Copy } | { readonly run: string };

export interface DockerfilePlan {
  readonly buildWorkdir: string;
  readonly buildSteps: readonly BuildStep[];
  /** COPY --from=build <path> <dest>: paths in the build stage's filesystem. */
  readonly finalCopies: readonly Copy[];
  readonly finalEnv: Readonly<Record<string, string>>;
  readonly entrypoint: readonly string[];
}

const understood = new Set(['FROM', 'WORKDIR', 'COPY', 'RUN', 'ENV', 'USER', 'EXPOSE', 'ENTRYPOINT']);

export function readDockerfile(file: string): DockerfilePlan {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const stages: string[][] = [];
  for (const line of lines) {
    const instruction = line.split(/\s+/, 1)[0] ?? '';
    if (!understood.has(instruction)) throw new Error(`Dockerfile: ${instruction} is not understood by this reader`);
    if (instruction === 'FROM') stages.push([]);
    stages.at(-1)?.push(line);
  }
  const [build, final] = [stages.at(0) ?? [], stages.at(-1) ?? []];
  return {
    buildWorkdir: workdirOf(build),
    buildSteps: build.flatMap((line): BuildStep[] => {
      if (line.startsWith('COPY ')) return [{ copy: readCopy(line) }];
      return line.startsWith('RUN ') ? [{ run: line.slice('RUN '.length) }] : [];
    }),
    finalCopies: final.filter((line) => line.startsWith('COPY ')).map(readCopy),
    finalEnv: Object.fromEntries(
      final.filter((line) => line.startsWith('ENV ')).map((line) => parseEnv(line.slice(4))),
    ),
    entrypoint:
      final
        .filter((line) => line.startsWith('ENTRYPOINT '))
        .map((line): string[] => JSON.parse(line.slice('ENTRYPOINT '.length)))
        .at(-1) ?? [],
  };
}

function workdirOf(stage: readonly string[]): string {
  return (
    stage
      .filter((line) => line.startsWith('WORKDIR '))
      .map((line) => line.slice('WORKDIR '.length).trim())
      .at(-1) ?? '/'
  );
}

/** COPY [--from=...] <source>... <dest>. */
function readCopy(line: string): Copy {
  const words = line
    .split(/\s+/)
    .slice(1)
    .filter((word) => !word.startsWith('--'));
  if (words.length < 2) throw new Error(`Dockerfile: ${line}: expected a source and a destination`);
  return { from: words.slice(0, -1), to: words.at(-1) ?? '' };
}

function parseEnv(text: string): [string, string] {
  const match = /^([A-Z_]+)=("?)(.*)\2$/.exec(text);
  if (!match?.[1]) throw new Error(`ENV ${text}: expected NAME=value`);
  return [match[1], match[3] ?? ''];
}
