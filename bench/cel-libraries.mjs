// Which CEL library the kernel uses, by measurement: the conformance sections a
// ValidatingAdmissionPolicy has (bench/cel-conformance.mjs says which and why), and
// evaluations per second of typical rule expressions on a Deployment.
// `node bench/cel-libraries.mjs` writes bench/results/cel-libraries.json.
import { readFileSync, writeFileSync } from 'node:fs';
import { bufbuildAdapter, celJsAdapter } from './cel-adapters.mjs';
import { runConformance } from './cel-conformance.mjs';

const review = JSON.parse(
  readFileSync(new URL('../test/fixtures/v1-create-deployment-3-replicas.json', import.meta.url), 'utf8'),
);
const object = review.request.object;

export const typicalExpressions = [
  'object.spec.replicas >= 3',
  "object.spec.template.spec.containers.all(c, !c.image.endsWith(':latest'))",
  'object.spec.template.spec.containers.all(c, has(c.resources) && has(c.resources.limits))',
  "has(object.metadata.labels) && 'app.kubernetes.io/name' in object.metadata.labels",
];

/** Evaluations per second of `evaluate` over a second's worth of runs, after a warm-up. */
function measure(evaluate) {
  for (let i = 0; i < 2000; i++) evaluate();
  const started = performance.now();
  let runs = 0;
  while (performance.now() - started < 1000) {
    for (let i = 0; i < 200; i++) evaluate();
    runs += 200;
  }
  return Math.round(runs / ((performance.now() - started) / 1000));
}

async function celJsPrograms() {
  const { Environment } = await import('@marcbachmann/cel-js');
  const env = new Environment().registerVariable('object', 'dyn');
  return typicalExpressions.map((expression) => {
    const program = env.parse(expression);
    return () => program({ object });
  });
}

async function bufbuildPrograms() {
  const cel = await import('@bufbuild/cel');
  const env = cel.celEnv();
  return typicalExpressions.map((expression) => {
    const program = cel.plan(env, cel.parse(expression));
    return () => program({ object });
  });
}

/** The kernel's CEL (the chosen library with the Kubernetes libraries, rewrites and the runtime budget), from the build. */
async function kernel() {
  const dist = new URL('../dist/functions/core/cel/', import.meta.url);
  const load = (file) => import(new URL(file, dist).href);
  let modules;
  try {
    modules = await Promise.all(
      [
        'cel-environment.js',
        'rewrite-ast.js',
        'cel-ast.js',
        'compile-expression.js',
        'runtime-budget.js',
        'cel-values.js',
      ].map(load),
    );
  } catch {
    return undefined; // not built: `npm run build` first to measure the kernel too
  }
  const [environment, rewrite, ast, compile, budget, values] = modules;
  const adapter = await celJsAdapter({
    name: 'kernel (cel-js + Kubernetes libraries, budgeted)',
    extend: environment.registerKubernetesLibraries,
    rewrite: (env, program) => rewrite.rewriteForKubernetes(env, ast.rootOf(program)),
  });
  const scope = { sizes: new Map([['object', 3 * 1024 * 1024]]), depth: 0 };
  const programs = typicalExpressions.map((expression) => {
    const compiled = compile.compileExpression(expression, { expected: 'bool', scope, costLimit: Infinity });
    return () => {
      const activation = { object: values.toCelValue(object) };
      return budget.withBudget(new budget.Budget(1_000_000), () => compiled.evaluate(activation));
    };
  });
  return { adapter, programs };
}

async function compare() {
  const libraries = [
    { adapter: await celJsAdapter(), programs: await celJsPrograms() },
    { adapter: await bufbuildAdapter(), programs: await bufbuildPrograms() },
  ];
  const ours = await kernel();
  if (ours) libraries.push(ours);
  const results = [];
  for (const { adapter, programs } of libraries) {
    const { bySection, passed, failed, rate } = runConformance(adapter);
    const speed = Object.fromEntries(typicalExpressions.map((expression, i) => [expression, measure(programs[i])]));
    results.push({
      library: adapter.name,
      conformance: { passed, failed, rate, bySection },
      evaluationsPerSecond: speed,
    });
  }
  return results;
}

/** The regex engines `matches` could run on: a typical pattern, and a catastrophic one. */
async function compareRegexEngines() {
  const { RE2JS } = await import('re2js');
  const bufbuild = await import('@bufbuild/re2');
  const typical = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$';
  const engines = {
    'JS RegExp': (pattern) => {
      const regex = new RegExp(pattern);
      return (text) => regex.test(text);
    },
    re2js: (pattern) => {
      const regex = RE2JS.compile(pattern);
      return (text) => regex.matcher(text).find();
    },
    '@bufbuild/re2': (pattern) => {
      // Its whole-text match: the patterns measured are anchored at both ends anyway.
      const regex = bufbuild.RE2JS.compile(pattern);
      return (text) => regex.matches(text);
    },
  };
  const timeOnce = (test, text) => {
    const started = performance.now();
    test(text);
    return Math.round((performance.now() - started) * 10) / 10;
  };
  return Object.fromEntries(
    Object.entries(engines).map(([name, compile]) => {
      const catastrophic = compile('^(a+)+$');
      return [
        name,
        {
          typicalMatchesPerSecond: measure(() => compile(typical)('my-app-name-123')),
          typicalPrecompiledPerSecond: ((test) => measure(() => test('my-app-name-123')))(compile(typical)),
          "'^(a+)+$' on 24 a's and a '!' (ms)": timeOnce(catastrophic, `${'a'.repeat(24)}!`),
          ...(name === 'JS RegExp'
            ? {}
            : { "'^(a+)+$' on 100,000 a's and a '!' (ms)": timeOnce(catastrophic, `${'a'.repeat(100_000)}!`) }),
        },
      ];
    }),
  );
}

const results = await compare();
const regexEngines = await compareRegexEngines();
const written = { date: new Date().toISOString(), node: process.version, results, regexEngines };
console.log(JSON.stringify(regexEngines, null, 2));
writeFileSync(new URL('results/cel-libraries.json', import.meta.url), `${JSON.stringify(written, null, 2)}\n`);
for (const { library, conformance, evaluationsPerSecond } of results) {
  console.log(`${library}: ${conformance.passed}/${conformance.passed + conformance.failed} conformance tests`);
  for (const [section, counts] of Object.entries(conformance.bySection))
    console.log(
      `  ${section}: ${counts.passed} passed, ${counts.failed} failed, ${counts.notApplicable} not applicable`,
    );
  for (const [expression, perSecond] of Object.entries(evaluationsPerSecond))
    console.log(`  ${perSecond} evaluations/s: ${expression}`);
}
