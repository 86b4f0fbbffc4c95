// Types of bench/cel-conformance.mjs and bench/cel-adapters.mjs for the TypeScript tests.
export interface SectionCounts {
  passed: number;
  failed: number;
  notApplicable: number;
}
export interface ConformanceResult {
  bySection: Record<string, SectionCounts>;
  passed: number;
  failed: number;
  rate: number;
  failures: string[];
}
export interface Adapter {
  name: string;
  run(test: unknown): { value: string } | { error: unknown };
}
export const sections: string[];
export function runConformance(adapter: Adapter, only?: string[]): ConformanceResult;
export interface ConformanceTest {
  section: string;
  name: string;
  test: {
    original: {
      expr: string;
      bindings?: object;
      typeEnv?: unknown[];
      disableCheck?: boolean;
      disableMacros?: boolean;
      container?: string;
      evalError?: unknown;
    };
  };
}
export function collectTests(only?: string[]): ConformanceTest[];
