// One test file's cases through the kernel, as the webhook decides them: each resource
// object as its CREATE, each review as written; then every expected result compared
// with what the engine answered, rule by rule.
import type { AdmissionRequest, Policy, WebhookRule } from '../../functions/core/index.js';
import { type CheckResult, checkManifest } from './check-manifest.js';
import { type Evaluation, evaluateRequest } from './evaluate-request.js';
import { type LoadedSuite, readReviewFile, SuiteError } from './load-test-suite.js';
import { buildRequest, identify } from './object-review.js';
import type { ExpectedResult, ReviewCase } from './test-suite-schema.js';

export interface CaseRow {
  readonly suite: string;
  readonly case: string;
  /** A rule's name, or `(decision)` for the whole decision. */
  readonly rule: string;
  readonly expected: string;
  readonly got: string;
  readonly passed: boolean;
  /** The engine's messages for this rule or decision (shown for a failing case). */
  readonly messages: readonly string[];
}

const verdictOf = (evaluation: Evaluation) =>
  evaluation.outcome === 'denied' ? 'deny' : evaluation.outcome === 'warned' ? 'warn' : 'allow';

export function runTestSuite(loaded: LoadedSuite, policy: Policy, scope: readonly WebhookRule[]): CaseRow[] {
  const cases = new Map<string, Evaluation>();
  const namespace = loaded.suite.namespace ?? 'default';
  loaded.manifests.forEach((manifest, index) => {
    const checked = checkManifest(manifest, index, policy, scope, namespace);
    if ('reason' in checked) {
      throw new SuiteError(`${loaded.file}: ${manifest.file}:${manifest.line}: ${checked.reason}`);
    }
    for (const key of resourceKeys(checked)) cases.set(key, checked);
  });
  for (const review of loaded.suite.reviews) {
    const request = reviewRequest(loaded.file, review, namespace);
    const evaluation = evaluateRequest(request, policy, scope);
    if ('error' in evaluation) throw new SuiteError(`${loaded.file}: review ${review.name}: ${evaluation.error}`);
    cases.set(`review:${review.name}`, evaluation.value);
  }
  const ruleNames = new Set(policy.rules.map((rule) => rule.name));
  return loaded.suite.results.map((expected) => compare(loaded.file, expected, cases, ruleNames));
}

/** Kind/namespace/name, and Kind/name for objects without a namespace. */
function resourceKeys(result: CheckResult): string[] {
  return result.namespace ? [`${result.kind}/${result.namespace}/${result.name}`] : [`${result.kind}/${result.name}`];
}

function reviewRequest(suiteFile: string, review: ReviewCase, namespace: string): AdmissionRequest {
  if (review.file !== undefined) return readReviewFile(suiteFile, { ...review, file: review.file });
  const subject = review.object ?? review.oldObject;
  if (!subject) throw new SuiteError(`${suiteFile}: review ${review.name}: needs a file, an object or an oldObject`);
  const operation = review.operation ?? (review.object ? (review.oldObject ? 'UPDATE' : 'CREATE') : 'DELETE');
  const identity = identify(subject, review.namespace ?? namespace);
  const built = buildRequest(identity, {
    uid: `admission-test-${review.name}`,
    operation,
    subResource: review.subResource,
    object: review.object ?? null,
    oldObject: review.oldObject ?? null,
    userInfo: review.userInfo,
  });
  if ('error' in built) throw new SuiteError(`${suiteFile}: review ${review.name}: ${built.error}`);
  return built.value;
}

function compare(
  suite: string,
  expected: ExpectedResult,
  cases: ReadonlyMap<string, Evaluation>,
  ruleNames: ReadonlySet<string>,
): CaseRow {
  const name = expected.review ?? expected.resource ?? '(none)';
  const row = { suite, case: name, rule: expected.rule ?? '(decision)', expected: expected.result };
  const evaluation = cases.get(expected.review !== undefined ? `review:${expected.review}` : name);
  if (!evaluation) return { ...row, got: 'no such case', passed: false, messages: [`no resource or review ${name}`] };
  if (expected.rule !== undefined && !ruleNames.has(expected.rule)) {
    return { ...row, got: 'no such rule', passed: false, messages: [`the policy has no rule ${expected.rule}`] };
  }
  const own = expected.rule === undefined ? undefined : evaluation.rules.find((rule) => rule.rule === expected.rule);
  const got = expected.rule === undefined ? verdictOf(evaluation) : (own?.result ?? 'allow');
  const messages =
    expected.rule === undefined
      ? [...evaluation.violations, ...evaluation.warnings, ...(evaluation.note ? [evaluation.note] : [])]
      : (own?.messages ?? []);
  const pattern = expected.message === undefined ? undefined : new RegExp(expected.message);
  const matches = pattern === undefined || messages.some((message) => pattern.test(message));
  return { ...row, got, passed: got === expected.result && matches, messages };
}
