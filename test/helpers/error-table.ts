// The README's "Error codes" table as the catalogue renders it, and as the README has it.
import { errorCatalogue } from '../../functions/core/index.js';

export function renderErrorTable(): string[] {
  return Object.entries(errorCatalogue).map(
    ([code, entry]) => `| \`${code}\` | ${entry.where} | ${entry.cause} | ${entry.fix} |`,
  );
}

/** The rows of the table under the README heading `## Error codes`. */
export function readErrorTable(readme: string): string[] {
  const section = readme.split(/^## Error codes$/m)[1]?.split(/^## /m)[0] ?? '';
  return section.split('\n').filter((line) => /^\| `[A-Z_]+` \|/.test(line));
}
