// A test file read and checked against its schema, and the cases it names: each object
// of its resources (decided as its CREATE), and each review. Problems in the file are
// TEST_INVALID lines naming the file and the path at fault.
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { admissionReviewSchema, describeIssues, type ErrorCode } from '../../functions/core/index.js';
import { readInputFile } from './input-files.js';
import { type Manifest, maxAliasCount, parseManifests } from './read-manifests.js';
import { type ReviewCase, type TestSuite, testSuiteSchema } from './test-suite-schema.js';

export interface LoadedSuite {
  readonly file: string;
  readonly suite: TestSuite;
  /** The policy file, resolved against the test file's folder. */
  readonly policyFile: string | undefined;
  readonly manifests: readonly Manifest[];
}

export class SuiteError extends Error {
  readonly code = 'TEST_INVALID' satisfies ErrorCode;
}

/** YAML or JSON text as a value, aliases bounded; throws SuiteError naming the file. */
export function parseYamlText(file: string, text: string): unknown {
  const document = parseDocument(text, { uniqueKeys: true });
  const [error] = document.errors;
  if (error) throw new SuiteError(`${file}: not valid YAML or JSON: ${error.message.split('\n')[0]}`);
  try {
    return document.toJS({ maxAliasCount });
  } catch {
    throw new SuiteError(`${file}: YAML aliases expand too far or are undefined (limit ${maxAliasCount})`);
  }
}

function readText(file: string): string {
  const input = readInputFile(file);
  if ('reason' in input) throw new SuiteError(`${file}: ${input.reason}`);
  return input.text;
}

export function loadTestSuite(file: string): LoadedSuite {
  const parsed = testSuiteSchema.safeParse(parseYamlText(file, readText(file)));
  if (!parsed.success) throw new SuiteError(`${file}: ${describeIssues(parsed.error, '')}`);
  const suite = parsed.data;
  const folder = dirname(file);
  const manifests = suite.resources.flatMap((resource, index): Manifest[] => {
    if ('inline' in resource) return [{ file, line: 0, object: resource.inline }];
    const path = resolve(folder, resource.file);
    const read = parseManifests(resource.file, readText(path));
    const [problem] = read.problems;
    if (problem)
      throw new SuiteError(`${file}: resources[${index}]: ${problem.file}:${problem.line}: ${problem.reason}`);
    return [...read.manifests];
  });
  const policyFile = suite.policy === undefined ? undefined : resolve(folder, suite.policy);
  return { file, suite, policyFile, manifests };
}

/** The request of a review given as a file: an AdmissionReview as the API server sends it. */
export function readReviewFile(suiteFile: string, review: ReviewCase & { file: string }) {
  const path = resolve(dirname(suiteFile), review.file);
  const parsed = admissionReviewSchema.safeParse(parseYamlText(review.file, readText(path)));
  if (!parsed.success) {
    throw new SuiteError(`${suiteFile}: review ${review.name}: ${review.file}: ${describeIssues(parsed.error, '')}`);
  }
  return parsed.data.request;
}
