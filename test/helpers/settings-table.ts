// The README's configuration tables, read back: one table per deliverable under its own
// heading, one row per variable: | `NAME` | default | accepted form | meaning |.
import { describeSettings, type SettingSpecs } from '../../functions/core/index.js';

export interface SettingRow {
  readonly name: string;
  readonly fallback: string;
  readonly form: string;
}

/** The rows of the first table after the heading `### <heading>`. */
export function readSettingsTable(readme: string, heading: string): SettingRow[] {
  const section = readme.split(`\n### ${heading}\n`)[1]?.split(/\n#{2,3} /)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => /^\| `[A-Z_]+` \|/.test(line))
    .map((line) => {
      const [name = '', fallback = '', form = ''] = line.split(' | ').map((cell) => cell.replace(/^\| /, '').trim());
      return { name: name.replaceAll('`', ''), fallback, form };
    });
}

/** The rows the settings table must have: the default in backticks (or "none") and the form as written. */
export function expectedSettingsRows(specs: SettingSpecs): SettingRow[] {
  return describeSettings(specs).map(({ name, form, fallback }) => ({
    name,
    fallback: fallback === undefined ? 'none' : `\`${fallback}\``,
    form,
  }));
}
