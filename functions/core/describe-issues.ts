// One line naming every problem zod found, by path, without the offending values:
// inputs may hold secrets (an admitted Secret, a setting), so they never reach a
// message. zod's own messages name the expected type or range, not the input.
import type { z } from 'zod';

const maxIssuesShown = 5;

/** Formats zod issues as `path: problem; path: problem`, paths prefixed with `root`. */
export function describeIssues(error: z.ZodError, root: string): string {
  const shown = error.issues.slice(0, maxIssuesShown).map((issue) => {
    const path = [root, ...issue.path.map(formatPathSegment)].filter(Boolean).join('.').replaceAll('.[', '[');
    return `${path || '(root)'}: ${issue.message}`;
  });
  const hidden = error.issues.length - shown.length;
  return hidden > 0 ? `${shown.join('; ')}; and ${hidden} more` : shown.join('; ');
}

function formatPathSegment(segment: PropertyKey): string {
  return typeof segment === 'number' ? `[${segment}]` : String(segment);
}

/** The same, for command-line options: `--flag-name: problem`, from camelCase option names. */
export function describeFlagIssues(error: z.ZodError): string {
  return describeIssues(error, '').replace(
    /(^|; )(\w+)/g,
    (_match, separator: string, name: string) =>
      `${separator}--${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`,
  );
}
