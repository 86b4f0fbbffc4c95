// Types of bench/cel-adapters.mjs for the TypeScript tests.
import type { Adapter } from './cel-conformance.mjs';
export interface CelJsAdapterOptions<Environment> {
  name?: string;
  extend?: (environment: Environment) => Environment;
  rewrite?: (environment: Environment, program: { ast: unknown }) => void;
}
export function celJsAdapter<Environment>(options?: CelJsAdapterOptions<Environment>): Promise<Adapter>;
export function bufbuildAdapter(): Promise<Adapter>;
