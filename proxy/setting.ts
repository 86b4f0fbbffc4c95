// One environment variable of the proxy, as a zod schema over its raw text: trimmed,
// blank counting as unset, then parsed. A problem is worded after the variable's name
// ("must be <form>", "is required: <form>"), never with the value: FUNCTION_KEY is a
// secret. The form and the default also go in a registry, for the README's table.
import { z } from 'zod';

export interface SettingRow {
  readonly name: string;
  /** The accepted form, in words: "milliseconds from 100 to 29000". */
  readonly form: string;
  /** The text used when the variable is unset, if any. */
  readonly fallback: string | undefined;
}

const described = z.registry<{ readonly form: string; readonly fallback: string | undefined }>();

/** A variable that always has a value: its default when unset, or, without one, it is required. */
export function setting<T>(schema: z.ZodType<T>, form: string, fallback?: string) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T => {
      const text = raw?.trim() || fallback;
      if (text !== undefined) return parseText(schema, text, form, ctx);
      ctx.addIssue({ code: 'custom', message: `is required: ${form}` });
      return z.NEVER;
    })
    .register(described, { form, fallback });
}

/** A variable that may stay unset. */
export function optionalSetting<T>(schema: z.ZodType<T>, form: string) {
  return z
    .string()
    .optional()
    .transform((raw, ctx): T | undefined => {
      const text = raw?.trim();
      return text ? parseText(schema, text, form, ctx) : undefined;
    })
    .register(described, { form, fallback: undefined });
}

function parseText<T>(schema: z.ZodType<T>, text: string, form: string, ctx: z.RefinementCtx): T {
  const parsed = schema.safeParse(text);
  if (parsed.success) return parsed.data;
  ctx.addIssue({ code: 'custom', message: `must be ${form}` }); // zod's own issue would describe the value
  return z.NEVER;
}

/** A whole number in [min, max], from its decimal text. */
export function wholeNumber(min: number, max: number): z.ZodType<number> {
  return z
    .string()
    .regex(/^\d{1,9}$/)
    .transform(Number)
    .pipe(z.number().min(min).max(max));
}

/** Name, form and default of each variable made with setting() or optionalSetting(), in order. */
export function describeSettings(variables: Readonly<Record<string, z.ZodType>>): SettingRow[] {
  return Object.entries(variables).flatMap(([name, schema]) => {
    const about = described.get(schema);
    return about ? [{ name, form: about.form, fallback: about.fallback }] : [];
  });
}

/** One line per problem: "NAME must be <form>", or a problem of several variables as worded. */
export function describeProblems(error: z.ZodError): string[] {
  return error.issues.map((issue) =>
    issue.path.length > 0 ? `${String(issue.path[0])} ${issue.message}` : issue.message,
  );
}
