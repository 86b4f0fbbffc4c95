// Cold start of the function app, as a fresh worker sees it: a new Node process
// imports the entry modules (package.json "main": the bundle) and answers its first review.
// Three times: with the default policy; with POLICY_FILE naming the shipped policy set
// (deploy/policies/: baseline, restricted and best practices, 23 CEL rules) and its
// precompiled policy beside it, as npm run package:function-app ships policy.yaml, so
// the CEL library loads and compiles at start-up; and with the YAML alone, so the YAML
// parser loads too. Runs alternate between the three, as the machine's load drifts.
// Median of several runs; results in bench/results/cold-start.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.env.COLD_START_RUNS ?? 9);
// The Node binary to measure (production runs Node 22): COLD_START_NODE=/path/to/node.
const node = process.env.COLD_START_NODE ?? process.execPath;
const root = new URL('../../', import.meta.url);
// What the Functions worker loads: package.json "main" (the bundle in dist/app).
const mainDirectory = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).main.replace(/\*\.js$/, '');
const entries = readdirSync(new URL(mainDirectory, root))
  .filter((file) => file.endsWith('.js'))
  .map((file) => new URL(`${mainDirectory}${file}`, root).href);
const fixture = new URL('test/fixtures/v1-create-deployment-2-replicas.json', root).href;

// Measured inside the child from the process's own time origin, so node's own start
// is included, as the Functions worker pays it too. The harness imports the unbundled
// @azure/functions only to build the test request (the worker brings its own); that
// import is timed and left out of the first-answer figure.
const script = `
import { readFileSync } from 'node:fs';
const modules = [];
for (const entry of ${JSON.stringify(entries)}) modules.push(await import(entry));
const imported = performance.now();
const functions = (await import('@azure/functions')).default;
const harnessMs = performance.now() - imported;
const { admission } = modules.find((module) => module.admission);
const body = readFileSync(new URL(${JSON.stringify(fixture)}), 'utf8');
const request = new functions.HttpRequest({ method: 'POST', url: 'http://127.0.0.1/api/admission', headers: { 'content-type': 'application/json' }, body: { string: body } });
const response = await admission(request, new functions.InvocationContext({ logHandler: () => {} }));
if (response.jsonBody?.response?.allowed !== false) throw new Error('unexpected answer');
console.log(JSON.stringify({ importMs: imported, firstAnswerMs: performance.now() - harnessMs }));
`;

/** The three shipped policy files as one, as a user copies them into policy.yaml. */
function writePolicySet(directory) {
  const files = ['pod-security-baseline.yaml', 'pod-security-restricted.yaml', 'best-practices.yaml'];
  const rules = files.map(
    (file) => readFileSync(new URL(`deploy/policies/${file}`, root), 'utf8').split(/^rules:\n/m)[1],
  );
  const file = join(directory, 'policy.yaml');
  writeFileSync(file, `apiVersion: admission.serverless.io/v1\nkind: AdmissionPolicy\nrules:\n${rules.join('\n')}`);
  return file;
}

// The default run has no policy file, whatever the caller's shell says.
const withoutPolicyFile = { ...process.env };
delete withoutPolicyFile.POLICY_FILE;

function runOnce(env) {
  const output = execFileSync(node, ['--input-type=module', '-e', script], {
    cwd: new URL('.', root),
    encoding: 'utf8',
    env: { ...withoutPolicyFile, ...env },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  // A precompiled policy that is present but not used says so: then this run measured the YAML.
  if (output.includes('precompiled.json not used')) throw new Error(output.trim().split('\n')[0]);
  return JSON.parse(output.trim().split('\n').pop());
}

/** Runs each environment `runs` times, taking turns, and gives the medians of each. */
function measure(environments) {
  const samples = environments.map(() => []);
  for (let run = 0; run < runs; run++) {
    environments.forEach((env, index) => {
      samples[index].push(runOnce(env));
    });
  }
  return samples.map((each) => ({
    medianImportMs: Math.round(median(each.map((s) => s.importMs))),
    medianFirstAnswerMs: Math.round(median(each.map((s) => s.firstAnswerMs))),
  }));
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const directory = mkdtempSync(join(tmpdir(), 'cold-start-'));
const yamlDirectory = join(directory, 'yaml-only');
mkdirSync(yamlDirectory);
let defaults;
let precompiled;
let yamlOnly;
try {
  const policyFile = writePolicySet(directory);
  const { writePrecompiledPolicy } = await import(new URL('dist/deploy/build/precompile-policy.js', root).href);
  await writePrecompiledPolicy(policyFile);
  [defaults, precompiled, yamlOnly] = measure([
    {},
    { POLICY_FILE: policyFile },
    { POLICY_FILE: writePolicySet(yamlDirectory) },
  ]);
} finally {
  rmSync(directory, { recursive: true, force: true });
}
const policy = 'deploy/policies/* together (23 CEL rules)';
const result = {
  date: new Date().toISOString(),
  node: execFileSync(node, ['--version'], { encoding: 'utf8' }).trim(),
  runs,
  ...defaults,
  withPolicySet: { policy, precompiled: true, ...precompiled },
  withPolicySetYamlOnly: { policy, precompiled: false, ...yamlOnly },
};
mkdirSync(new URL('bench/results/', root), { recursive: true });
writeFileSync(new URL('bench/results/cold-start.json', root), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `cold start (median of ${runs} fresh processes): modules imported at ${result.medianImportMs} ms, first review answered at ${result.medianFirstAnswerMs} ms after process start`,
);
console.log(
  `cold start with the policy set (POLICY_FILE, 23 CEL rules, precompiled): modules imported and policy compiled at ${precompiled.medianImportMs} ms, first review answered at ${precompiled.medianFirstAnswerMs} ms`,
);
console.log(
  `cold start with the policy set as YAML alone (the YAML parser loads): modules imported and policy compiled at ${yamlOnly.medianImportMs} ms, first review answered at ${yamlOnly.medianFirstAnswerMs} ms`,
);
