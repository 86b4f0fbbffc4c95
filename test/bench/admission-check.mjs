// admission-check as CI runs it, against the built CLI (dist/cli): start-up (--version,
// and a check of one small manifest), a suite of 67 test cases in one `test` run, and a
// set of 1,000 objects in one `check` run; for comparison, the same 67 checks as 67
// processes (what a suite cost before `test`). Wall time of each process, from spawn to
// exit, median of several runs. Results in bench/results/admission-check.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(root, 'dist/cli/admission-check.js');
const runs = Number(process.env.ADMISSION_CHECK_RUNS ?? 7);
const policy = join(root, 'test/fixtures/policy-all-rules.yaml');

function time(args, cwd = root) {
  const started = process.hrtime.bigint();
  try {
    execFileSync(process.execPath, [bin, ...args], { cwd, stdio: 'ignore' });
  } catch (error) {
    if (error.status !== 1) throw error; // 1: something denied or a case failed, as intended below
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (samples) => samples.sort((a, b) => a - b)[Math.floor(samples.length / 2)];
const measure = (args, cwd) => Math.round(median(Array.from({ length: runs }, () => time(args, cwd))));

const deployment = (namespace, name, replicas) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: ${name}, namespace: ${namespace}, labels: {owner: shop, tier: web}}\nspec:\n  replicas: ${replicas}\n  selector: {matchLabels: {app: ${name}}}\n  template:\n    metadata: {labels: {app: ${name}}}\n    spec:\n      securityContext: {runAsNonRoot: true}\n      containers:\n        - name: web\n          image: myregistry.azurecr.io/shop/${name}:1.0.${replicas}\n          resources: {requests: {cpu: 100m, memory: 64Mi}, limits: {cpu: "1", memory: 128Mi}}\n          readinessProbe: {httpGet: {path: /, port: 80}}\n`;

const work = mkdtempSync(join(tmpdir(), 'admission-check-bench-'));
// 1,000 objects in 10 files: Deployments (every tenth below the minimum) and Services.
const manifests = join(work, 'manifests');
mkdirSync(manifests);
for (let file = 0; file < 10; file++) {
  const documents = Array.from({ length: 100 }, (_, index) => {
    const n = file * 100 + index;
    return n % 2 === 0
      ? deployment(`prod-team-${file}`, `app-${n}`, n % 10 === 0 ? 1 : 3)
      : `apiVersion: v1\nkind: Service\nmetadata: {name: app-${n}, namespace: prod-team-${file}}\nspec: {ports: [{port: 80}]}\n`;
  });
  writeFileSync(join(manifests, `team-${file}.yaml`), documents.join('---\n'));
}
// 67 test cases over 3 test files, one policy, as a team's suite would be.
const suites = join(work, 'suites');
let cases = 0;
const single = join(work, 'single');
mkdirSync(single);
for (let file = 0; file < 3; file++) {
  const directory = join(suites, `team-${file}`);
  mkdirSync(directory, { recursive: true });
  const count = file < 2 ? 22 : 23;
  const resources = [];
  const results = [];
  for (let index = 0; index < count; index++, cases++) {
    const replicas = index % 4 === 0 ? 1 : 3;
    const text = deployment(`prod-team-${file}`, `app-${index}`, replicas);
    resources.push(`  - file: app-${index}.yaml`);
    writeFileSync(join(directory, `app-${index}.yaml`), text);
    writeFileSync(join(single, `case-${cases}.yaml`), text);
    results.push(
      `  - {resource: Deployment/prod-team-${file}/app-${index}, rule: minimum-replicas, result: ${replicas === 1 ? 'deny' : 'allow'}}`,
    );
  }
  const suite = [
    'apiVersion: admission.serverless.io/v1',
    'kind: AdmissionTest',
    `policy: ${policy}`,
    'resources:',
    ...resources,
    'results:',
    ...results,
    '',
  ];
  writeFileSync(join(directory, 'admission-test.yaml'), suite.join('\n'));
}

const startUp = {
  versionMs: measure(['--version']),
  checkOneManifestMs: measure(['test/fixtures/manifests/good/worker.json']),
};
const suite = { cases, testFiles: 3, oneProcessMs: measure(['test', suites]) };
const objects = { objects: 1000, files: 10, oneProcessMs: measure(['--policy', policy, manifests]) };
objects.afterStartUpMs = Math.max(0, objects.oneProcessMs - startUp.checkOneManifestMs);
const separate = Array.from({ length: cases }, (_, index) => ['--policy', policy, join(single, `case-${index}.yaml`)]);
const started = process.hrtime.bigint();
for (const args of separate) time(args);
suite.oneProcessPerCaseMs = Math.round(Number(process.hrtime.bigint() - started) / 1e6);

const results = { date: new Date().toISOString().slice(0, 10), node: process.version, runs, startUp, suite, objects };
const targets = { startUpBelowMs: 300, suiteBelowMs: 2000, objectsAfterStartUpBelowMs: 1000 };
results.met = {
  startUp: startUp.checkOneManifestMs < targets.startUpBelowMs,
  suite: suite.oneProcessMs < targets.suiteBelowMs,
  objects: objects.afterStartUpMs < targets.objectsAfterStartUpBelowMs,
};
mkdirSync(join(root, 'bench/results'), { recursive: true });
writeFileSync(
  join(root, 'bench/results/admission-check.json'),
  `${JSON.stringify({ ...results, targets }, null, 2)}\n`,
);
console.log(JSON.stringify(results, null, 2));
