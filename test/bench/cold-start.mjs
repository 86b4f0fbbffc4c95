// Cold start of the function app, as a fresh worker sees it: a new Node process
// imports the entry modules (package.json "main": the bundle) and answers its first review.
// Twice: with the default policy, and with POLICY_FILE naming the shipped policy set
// (deploy/policies/: baseline, restricted and best practices, 23 CEL rules), so the YAML
// parser and the CEL library load and compile at start-up.
// Median of several runs; results in bench/results/cold-start.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.env.COLD_START_RUNS ?? 9);
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

function measure(env) {
  const samples = [];
  for (let run = 0; run < runs; run++) {
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: new URL('.', root),
      encoding: 'utf8',
      env: { ...withoutPolicyFile, ...env },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    samples.push(JSON.parse(output.trim().split('\n').pop()));
  }
  return {
    medianImportMs: Math.round(median(samples.map((s) => s.importMs))),
    medianFirstAnswerMs: Math.round(median(samples.map((s) => s.firstAnswerMs))),
  };
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const directory = mkdtempSync(join(tmpdir(), 'cold-start-'));
let withPolicySet;
const defaults = measure({});
try {
  withPolicySet = measure({ POLICY_FILE: writePolicySet(directory) });
} finally {
  rmSync(directory, { recursive: true, force: true });
}
const result = {
  date: new Date().toISOString(),
  node: process.version,
  runs,
  ...defaults,
  withPolicySet: { policy: 'deploy/policies/* together (23 CEL rules)', ...withPolicySet },
};
mkdirSync(new URL('bench/results/', root), { recursive: true });
writeFileSync(new URL('bench/results/cold-start.json', root), `${JSON.stringify(result, null, 2)}\n`);
console.log(
  `cold start (median of ${runs} fresh processes): modules imported at ${result.medianImportMs} ms, first review answered at ${result.medianFirstAnswerMs} ms after process start`,
);
console.log(
  `cold start with the policy set (POLICY_FILE, 23 CEL rules): modules imported and policy compiled at ${withPolicySet.medianImportMs} ms, first review answered at ${withPolicySet.medianFirstAnswerMs} ms`,
);
