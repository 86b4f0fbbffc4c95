// The names deploy/azure/main.bicep gives its resources, checked without a Bicep compiler:
// the template's `var` lines are evaluated (test/helpers/bicep-expression.ts) for short
// and long appNames, and each resource's name is held to its type's rule. Globally
// unique names must also end with the whole unique suffix, however long appName is.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BicepValue,
  evaluateBicep,
  type Lookup,
  standInResourceGroupId,
  standInUniqueString,
} from '../helpers/bicep-expression.js';
import { repositoryRoot } from '../helpers/clean-copy.js';

const template = readFileSync(join(repositoryRoot, 'deploy/azure/main.bicep'), 'utf8');

// Each type's rule, quoted from
// https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
// ("alphanumeric" there means a-z, A-Z and 0-9).
const rules = new Map<string, RegExp>([
  // storageAccounts, global, 3-24: "Lowercase letters and numbers."
  ['Microsoft.Storage/storageAccounts', /^[a-z0-9]{3,24}$/],
  // vaults, global, 3-24: "Alphanumerics and hyphens. Start with letter. End with letter or
  // digit. Can't contain consecutive hyphens." (?!.*--) is the last sentence.
  ['Microsoft.KeyVault/vaults', /^(?!.*--)[a-zA-Z][a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$/],
  // vaults / secrets, 1-127: "Alphanumerics and hyphens."
  ['Microsoft.KeyVault/vaults/secrets', /^[a-zA-Z0-9-]{1,127}$/],
  // sites, global, 2-60: "Alphanumeric, hyphens and Unicode characters that can be mapped to
  // Punycode. Can't start or end with hyphen." Held to ASCII: the name is a DNS label.
  ['Microsoft.Web/sites', /^[a-zA-Z0-9][a-zA-Z0-9-]{0,58}[a-zA-Z0-9]$/],
  // serverfarms, 1-60: "Alphanumeric, hyphens and Unicode characters that can be mapped to
  // Punycode." (The 2020 table said 1-40.)
  ['Microsoft.Web/serverfarms', /^[a-zA-Z0-9-]{1,60}$/],
  // workspaces, 4-63: "Alphanumerics and hyphens. Start and end with alphanumeric."
  ['Microsoft.OperationalInsights/workspaces', /^[a-zA-Z0-9][a-zA-Z0-9-]{2,61}[a-zA-Z0-9]$/],
  // components, 1-260: "Can't use: %&\?/ or control characters. Can't end with space or period."
  ['Microsoft.Insights/components', /^[^%&\\?/\p{Cc}]{0,259}[^%&\\?/\p{Cc}. ]$/u],
]);

/** Globally unique names, which must end with the whole uniqueString however long appName is. */
const keepsSuffix = new Set(['Microsoft.Storage/storageAccounts', 'Microsoft.KeyVault/vaults']);

interface NamedResource {
  readonly symbol: string;
  readonly type: string;
  /** The expression on the resource's own `name:` line. */
  readonly name: string | undefined;
}

/** Top-level resources with a naming rule, each with its type and name expression. */
function ruledResources(source: string): NamedResource[] {
  return source
    .split(/^(?=resource )/m)
    .map((block) => block.slice(0, block.search(/^\}/m)))
    .flatMap((block) => {
      const header = /^resource (\w+) '([^'@]+)@/.exec(block);
      if (header?.[1] === undefined || header[2] === undefined || !rules.has(header[2])) return [];
      return [{ symbol: header[1], type: header[2], name: /^ {2}name: (.+)$/m.exec(block)?.[1] }];
    });
}

/** Resolves appName to the given value and every `var` by evaluating its line. */
function lookupFor(source: string, appName: string): Lookup {
  const variables = new Map([...source.matchAll(/^var (\w+) = (.+)$/gm)].map((match) => [match[1], match[2]]));
  const lookup: Lookup = (identifier) => {
    if (identifier === 'appName') return appName;
    const expression = variables.get(identifier);
    if (expression === undefined) throw new Error(`unknown name ${identifier}`);
    return evaluateBicep(expression, lookup);
  };
  return lookup;
}

function asName(value: BicepValue): string {
  if (typeof value !== 'string') throw new Error('the name is not a string');
  return value;
}

function namesFor(source: string, appName: string): Record<string, string> {
  const lookup = lookupFor(source, appName);
  return Object.fromEntries(
    ruledResources(source).map(({ symbol, name }) => [symbol, asName(evaluateBicep(name ?? '', lookup))]),
  );
}

function namingProblems(source: string, appName: string): string[] {
  const lookup = lookupFor(source, appName);
  const suffix = asName(lookup('suffix'));
  return ruledResources(source).flatMap(({ symbol, type, name }) => {
    const rule = rules.get(type);
    if (rule === undefined || name === undefined) return [`${symbol}: no name line`];
    try {
      const value = asName(evaluateBicep(name, lookup));
      const problems = rule.test(value) ? [] : [`${symbol} '${value}' breaks the ${type} naming rule`];
      const lost = keepsSuffix.has(type) && !value.endsWith(suffix);
      return lost ? [...problems, `${symbol} '${value}' lost the unique suffix ${suffix}`] : problems;
    } catch (error) {
      return [`${symbol}: ${error instanceof Error ? error.message : String(error)}`];
    }
  });
}

const appNames = [
  ['3 characters, upper case and an underscore', 'A_b'],
  ['4 characters with a hyphen', 'Ad-m'],
  ['24 characters', 'Serverless_Admission-Prd'],
  ['25 characters', 'Serverless_Admission-Prod'],
  ['40 characters, the most allowed', 'Contoso-Platform_Serverless-Admission-01'],
  ['separators at both ends and doubled inside', '_-Admission__Prod-_'],
  ['a digit first', '1st-ADMISSION'],
] as const;

describe('resource names in deploy/azure/main.bicep', () => {
  it('are tried at the lengths appName allows, 3 to 40', () => {
    expect(appNames.slice(0, 5).map(([, appName]) => appName.length)).toEqual([3, 4, 24, 25, 40]);
  });

  it.each(appNames)('follow every resource type rule for an appName of %s', (_case, appName) => {
    expect(namingProblems(template, appName)).toEqual([]);
  });

  it('has a name for each resource type with a rule', () => {
    expect(new Set(ruledResources(template).map(({ type }) => type))).toEqual(new Set(rules.keys()));
  });

  it('gives a 25-character appName the documented names, unique suffix whole', () => {
    const suffix = standInUniqueString(standInResourceGroupId, 'Serverless_Admission-Prod');
    expect(namesFor(template, 'Serverless_Admission-Prod')).toEqual({
      storage: `stserverles${suffix}`,
      logs: 'log-serverless-admission-prod',
      insights: 'appi-serverless-admission-prod',
      vault: `kv-serverl-${suffix}`,
      plan: 'plan-serverless-admission-prod',
      app: 'serverless-admission-prod',
      functionKeySecret: 'admission-function-key',
    });
  });

  it('keeps two 40-character appNames that differ only at the end apart', () => {
    const first = namesFor(template, 'Contoso-Platform_Serverless-Admission-01');
    const second = namesFor(template, 'Contoso-Platform_Serverless-Admission-02');
    expect(first.storage).not.toBe(second.storage);
    expect(first.vault).not.toBe(second.vault);
  });

  it.each([
    [
      'the old Key Vault name, cut after the suffix',
      'keyVaultName',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Bicep source, where ${} is Bicep's own interpolation
      "take('kv-${replace(appName, '_', '-')}-${suffix}', 24)",
      'vault',
    ],
    [
      'a storage name that keeps upper case',
      'storageName',
      // biome-ignore lint/suspicious/noTemplateCurlyInString: Bicep source, where ${} is Bicep's own interpolation
      "'st${take(replace(appName, '-', ''), 9)}${suffix}'",
      'storage',
    ],
  ])('reports %s', (_case, variable, expression, symbol) => {
    const line = new RegExp(`^var ${variable} = .*$`, 'm');
    const broken = template.replace(line, `var ${variable} = ${expression}`);
    expect(broken).not.toBe(template);
    const problems = namingProblems(broken, 'Serverless_Admission-Prod');
    expect(problems).not.toEqual([]);
    expect(problems.every((problem) => problem.startsWith(`${symbol} `))).toBe(true);
  });
});

describe('the Bicep expression evaluator', () => {
  const values = new Map<string, BicepValue>([
    ['appName', 'My_App'],
    ['settings', { region: 'westeurope' }],
  ]);
  const lookup: Lookup = (name) => values.get(name) ?? '';

  it('evaluates interpolation, nested calls and member access', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Bicep source, where ${} is Bicep's own interpolation
    const expression = "'kv-${take(toLower(replace(appName, '_', '')), 4)}-${length(appName)}'";
    expect(evaluateBicep(expression, lookup)).toBe('kv-myap-6');
    expect(evaluateBicep('settings.region', lookup)).toBe('westeurope');
    expect(evaluateBicep("trim('  a b  ') // a comment", lookup)).toBe('a b');
  });

  it('fails on a function it does not know instead of guessing', () => {
    expect(() => evaluateBicep("padLeft(appName, 30, '-')", lookup)).toThrow(/unsupported function padLeft/);
  });

  it('fails where the deployment would: substring past the end of the string', () => {
    expect(() => evaluateBicep('substring(appName, 0, 9)', lookup)).toThrow(/outside a string of 6/);
  });
});
