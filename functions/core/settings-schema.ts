// The one way every deliverable reads its environment: a table of variables, each with
// a zod schema, the form it takes in words, and an optional default. Values are
// trimmed, and blank counts as unset. A bad value yields "NAME must be <form>", never
// the value (settings hold keys and tokens). Pure: the caller passes the environment.
import { z } from 'zod';

export interface SettingSpec<T = unknown> {
  /** Parses the trimmed text of the variable. */
  readonly schema: z.ZodType<T, string>;
  /** The accepted form, in words: "a whole number from 1 to 1000". */
  readonly form: string;
  /** The text used when the variable is unset; a variable without one may stay undefined. */
  readonly fallback?: string;
}

export type SettingSpecs = Readonly<Record<string, SettingSpec>>;

/** The parsed values: with a fallback, always set; without one, possibly undefined. */
export type SettingValues<S extends SettingSpecs> = {
  readonly [K in keyof S]: S[K] extends SettingSpec<infer T>
    ? S[K] extends { fallback: string }
      ? T
      : T | undefined
    : never;
};

export type SettingsResult<S extends SettingSpecs> =
  | { readonly values: SettingValues<S> }
  | { readonly problems: readonly string[] };

/** A whole number in [min, max], from its decimal text. */
export function wholeNumber(min: number, max: number): z.ZodType<number, string> {
  return z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max));
}

const keyVaultReference = '@Microsoft.KeyVault(';

export function parseSettings<S extends SettingSpecs>(
  specs: S,
  env: Readonly<Record<string, string | undefined>>,
): SettingsResult<S> {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const raw = env[name]?.trim() || spec.fallback;
    if (raw === undefined) continue;
    if (raw.startsWith(keyVaultReference)) {
      problems.push(`${name} is an unresolved Key Vault reference; give the app's identity read access to the secret`);
      continue;
    }
    const parsed = spec.schema.safeParse(raw);
    if (parsed.success) values[name] = parsed.data;
    else problems.push(`${name} must be ${spec.form}`);
  }
  if (problems.length > 0) return { problems };
  // Trust boundary: every key of `specs` was parsed by its own schema above, or is unset
  // only where SettingValues allows undefined (no fallback).
  return { values: Object.freeze(values) as SettingValues<S> };
}

/** Rows for the README's configuration tables: name, form, default. */
export function describeSettings(specs: SettingSpecs): { name: string; form: string; fallback: string | undefined }[] {
  return Object.entries(specs).map(([name, spec]) => ({ name, form: spec.form, fallback: spec.fallback }));
}
