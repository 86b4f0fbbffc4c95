// The README's configuration tables are the settings tables the code parses: same
// variables, same defaults, same accepted forms. A variable added, renamed or given a
// new default in code fails here until the README says so.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnvironmentSpecs } from '../../deploy/admission-check/cli-options.js';
import { stackSettingSpecs } from '../../deploy/local/local-settings.js';
import { admissionSettingSpecs, notifySettingSpecs } from '../../functions/shells/settings/app-settings.js';
import { proxySettingsTable } from '../../proxy/config.js';
import { repositoryRoot } from '../helpers/clean-copy.js';
import { expectedSettingsRows, readSettingsTable } from '../helpers/settings-table.js';

const readme = readFileSync(join(repositoryRoot, 'README.md'), 'utf8');

describe('the README configuration tables', () => {
  it.each([
    ['Function app: admission', admissionSettingSpecs],
    ['Function app: texts (notify)', notifySettingSpecs],
    ['admission-check', cliEnvironmentSpecs],
    ['Local stack (npm start)', stackSettingSpecs],
  ])('match the settings table of %s', (heading, specs) => {
    expect(readSettingsTable(readme, heading)).toEqual(expectedSettingsRows(specs));
  });

  it('match the proxy settings table', () => {
    const expected = proxySettingsTable.map(({ name, form, fallback }) => ({
      name,
      fallback: fallback === undefined ? 'none' : `\`${fallback}\``,
      form,
    }));
    expect(readSettingsTable(readme, 'Proxy')).toEqual(expected);
  });

  it('reads a table row by row', () => {
    const text =
      '\n### Example\n\n| setting | default | form | meaning |\n| --- | --- | --- | --- |\n| `A_B` | `3` | a number | why |\n';
    expect(readSettingsTable(text, 'Example')).toEqual([{ name: 'A_B', fallback: '`3`', form: 'a number' }]);
  });
});
