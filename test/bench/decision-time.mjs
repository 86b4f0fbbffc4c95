// npm run bench: the decision's time per typical Deployment in process, with the full
// shipped policy set (deploy/policies/: 23 CEL rules, 111 expressions), on the built
// kernel (dist/, as the function app runs it: native modules, no test transform).
// Each review is parsed afresh, as the function gets it, so nothing is kept from one
// review to the next (the CEL engine keys its per-review work by the parsed object).
// Rounds alternate between the parse alone and parse + decide, as the machine's load
// drifts; a third measure decides reviews parsed beforehand, the decision alone. Both
// engines: the compiled CEL (the default) and the interpreter (CEL_ENGINE below).
// Results in bench/results/decision-time.json.
import { readFileSync, writeFileSync } from 'node:fs';

const root = new URL('../../', import.meta.url);
const { admissionReviewSchema } = await import(new URL('dist/functions/core/admission-review.js', root).href);
const { decide } = await import(new URL('dist/functions/core/decide.js', root).href);
const { parsePolicyData } = await import(new URL('dist/functions/core/policy/parse-policy-data.js', root).href);
const { readTarget } = await import(new URL('dist/functions/core/workload.js', root).href);
const { parse } = await import('yaml');

const files = ['pod-security-baseline.yaml', 'pod-security-restricted.yaml', 'best-practices.yaml'];
const rules = files.flatMap((file) => parse(readFileSync(new URL(`deploy/policies/${file}`, root), 'utf8')).rules);
const body = readFileSync(new URL('test/fixtures/v1-create-deployment-shipped-policies.json', root), 'utf8');
const now = new Date();
const rounds = Number(process.env.DECISION_ROUNDS ?? 15);
const perRound = 2000;

function policyFor(engine) {
  const data = { apiVersion: 'admission.serverless.io/v1', kind: 'AdmissionPolicy', rules };
  return parsePolicyData('policy-set.yaml', data, { engine }).policy;
}

function read() {
  const { request } = admissionReviewSchema.parse(JSON.parse(body));
  const target = readTarget(request);
  if ('error' in target) throw new Error(target.error);
  return { request, target: target.value };
}

function timed(run) {
  const started = process.hrtime.bigint();
  for (let index = 0; index < perRound; index++) run();
  return Number(process.hrtime.bigint() - started) / 1000 / perRound;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const round = (value) => Math.round(value * 10) / 10;

function measure(engine) {
  const policy = policyFor(engine);
  const decideRead = ({ request, target }) => decide(request, target, policy, { cluster: 'bench', now });
  if (!decideRead(read()).allowed) throw new Error('the typical Deployment should pass the policy set');
  for (let index = 0; index < 5000; index++) decideRead(read());
  const [parseOnly, parseAndDecide, decideOnly] = [[], [], []];
  for (let index = 0; index < rounds; index++) {
    parseOnly.push(timed(read));
    parseAndDecide.push(timed(() => decideRead(read())));
    const reviews = Array.from({ length: perRound }, read);
    let next = 0;
    decideOnly.push(timed(() => decideRead(reviews[next++])));
  }
  return {
    engine,
    parseMicroseconds: round(median(parseOnly)),
    parseAndDecideMicroseconds: round(median(parseAndDecide)),
    decisionMicroseconds: round(median(decideOnly)),
    decisionFastestRoundMicroseconds: round(Math.min(...decideOnly)),
  };
}

const results = {
  node: process.version,
  rounds,
  reviewsPerRound: perRound,
  engines: [measure('compiled'), measure('interpreted')],
};
writeFileSync(new URL('bench/results/decision-time.json', root), `${JSON.stringify(results, null, 2)}\n`);
console.table(results.engines);
