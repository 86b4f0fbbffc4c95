// The function key, from FUNCTION_KEY or (preferably) FUNCTION_KEY_FILE, a mounted
// Secret that is re-read when it changes. An unreadable or empty file keeps the last
// good key. The key is never logged.
import { readFileSync } from 'node:fs';

export interface FunctionKeySource {
  /** The current key, or undefined before one was ever read. */
  current(): string | undefined;
  /** Re-reads the file; returns what happened, for the log. */
  refresh(): 'unchanged' | 'changed' | 'unreadable' | 'empty';
}

export function createFunctionKeySource(
  config: { readonly value: string } | { readonly file: string },
): FunctionKeySource {
  if ('value' in config) return { current: () => config.value, refresh: () => 'unchanged' };
  let key: string | undefined;
  const refresh = (): ReturnType<FunctionKeySource['refresh']> => {
    let text: string;
    try {
      text = readFileSync(config.file, 'utf8').trim();
    } catch {
      return 'unreadable';
    }
    if (!text) return 'empty';
    if (text === key) return 'unchanged';
    key = text;
    return 'changed';
  };
  refresh();
  return { current: () => key, refresh };
}
