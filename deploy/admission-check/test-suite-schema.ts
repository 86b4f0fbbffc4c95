// The test file of `admission-check test` (admission-test.yaml, *.admission-test.yaml):
// a policy, the objects to decide (files or inline), AdmissionReview cases for UPDATE,
// DELETE and subresources, and what each rule should answer. Paths are relative to the
// test file. The JSON Schema in admission-test.schema.json is rendered from this schema
// (npm run admission-test:schema), for editors.
import { z } from 'zod';
import type { Operation } from '../../functions/core/index.js';

const operations = ['CREATE', 'UPDATE', 'DELETE', 'CONNECT'] as const satisfies readonly Operation[];

const objectSchema = z.record(z.string(), z.unknown()).describe('a Kubernetes object, as in a manifest');

const resource = z.union([
  z.strictObject({ file: z.string().min(1).describe('a manifest file (YAML or JSON, every object in it)') }),
  z.strictObject({ inline: objectSchema }),
]);

const userInfo = z.strictObject({
  username: z.string().optional(),
  groups: z.array(z.string()).optional(),
});

const review = z.strictObject({
  name: z.string().min(1).describe('how results name this case'),
  file: z
    .string()
    .min(1)
    .optional()
    .describe('an AdmissionReview (v1 or v1beta1, JSON or YAML) as the API server sends it; or the fields below'),
  operation: z.enum(operations).optional(),
  subResource: z.string().optional().describe('scale, status, ephemeralcontainers, ...'),
  namespace: z.string().optional(),
  object: objectSchema.optional(),
  oldObject: objectSchema.optional().describe('the object before an UPDATE, or the object a DELETE removes'),
  userInfo: userInfo.optional(),
});

function isRegularExpression(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false; // a SyntaxError: reported as a schema issue at this path
  }
}

export const expectedResults = ['deny', 'warn', 'allow', 'audit'] as const;

const result = z.strictObject({
  resource: z
    .string()
    .min(1)
    .optional()
    .describe('Kind/namespace/name, or Kind/name for a cluster-scoped object or one without a namespace'),
  review: z.string().min(1).optional().describe('the name of a review case'),
  rule: z.string().min(1).optional().describe("a rule's name; without it, the whole decision"),
  result: z.enum(expectedResults),
  message: z
    .string()
    .refine(isRegularExpression, 'not a valid regular expression')
    .optional()
    .describe('a regular expression a message of that result must match'),
});

export const testSuiteSchema = z
  .strictObject({
    apiVersion: z.literal('admission.serverless.io/v1'),
    kind: z.literal('AdmissionTest'),
    name: z.string().optional(),
    policy: z.string().min(1).optional().describe('the policy file; without it, the built-in policy (MIN_REPLICAS)'),
    scope: z.enum(['webhook', 'all-workloads']).optional().describe('what the installed webhook is sent'),
    namespace: z.string().optional().describe('the namespace of objects that name none (default: default)'),
    resources: z.array(resource).default([]),
    reviews: z.array(review).default([]),
    results: z.array(result).min(1),
  })
  .describe('An admission-check test file');

export type TestSuite = z.infer<typeof testSuiteSchema>;
export type ReviewCase = TestSuite['reviews'][number];
export type ExpectedResult = TestSuite['results'][number];

/** The JSON Schema of a test file, for editors (yaml-language-server: $schema=...). */
export function renderTestSuiteJsonSchema(): string {
  const schema = z.toJSONSchema(testSuiteSchema, { io: 'input' });
  return `${JSON.stringify({ ...schema, title: 'admission-check test file' }, null, 2)}\n`;
}
