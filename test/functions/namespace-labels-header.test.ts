// The function reads the proxy's x-namespace-labels into the Namespace that a rule's
// namespaceSelector and CEL's namespaceObject see. A malformed header is ignored (the
// rule answers per its failurePolicy) with a warning; it never fails the review.
import type { HttpResponseInit } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import type { AdmissionReviewResponse } from '../../functions/core/index.js';
import { parsePolicyText } from '../../functions/core/policy/parse-policy.js';
import { maxNamespaceLabelsBytes, wireHeaders } from '../../functions/core/wire.js';
import { createAdmissionHandler } from '../../functions/shells/http/admission-handler.js';
import { readNamespaceObject } from '../../functions/shells/http/read-namespace-object.js';
import { loadFixture, recordingContext, reviewRequest } from '../helpers/fixtures.js';

// Deployments under 3 replicas are denied only in namespaces labelled tier=prod; a CEL
// rule reads namespaceObject and warns with what it sees.
const { policy } = parsePolicyText(
  'policy.yaml',
  `apiVersion: admission.serverless.io/v1
kind: AdmissionPolicy
rules:
  - name: prod-replicas
    builtin: minimum-replicas
    minimum: 3
    match: { namespaceSelector: { matchLabels: { tier: prod } } }
  - name: namespace-seen
    builtin: cel
    action: warn
    match: { kinds: [Deployment] }
    validations:
      - expression: "namespaceObject == null"
        messageExpression: "'in ' + namespaceObject.metadata.name + ' owned by ' + namespaceObject.metadata.labels.owner"
`,
);

const handler = createAdmissionHandler({
  settings: { clusterName: undefined },
  policy,
  now: () => new Date('2026-11-22T10:00:00Z'),
  sendNotifications: () => undefined,
});

const twoReplicas = loadFixture('v1-create-deployment-2-replicas.json'); // namespace shop

async function review(labelsHeader?: string) {
  const { context, lines } = recordingContext();
  const headers: Record<string, string> =
    labelsHeader === undefined ? {} : { [wireHeaders.namespaceLabels]: labelsHeader };
  const response: HttpResponseInit = await handler(reviewRequest(twoReplicas, headers), context);
  // Trust boundary: the handler under test builds jsonBody with toAdmissionReviewResponse.
  const answer = (response.jsonBody as AdmissionReviewResponse).response;
  return { status: response.status, answer, lines };
}

describe('x-namespace-labels in the function', () => {
  it('denies in a namespace labelled tier=prod, and CEL sees the Namespace', async () => {
    const { answer } = await review('{"tier":"prod","owner":"web-team"}');
    expect(answer.allowed).toBe(false);
    expect(answer.status?.message).toContain('has 2 replicas');
    expect(answer.warnings).toEqual(['deployment shop/web: in shop owned by web-team']);
  });

  it('admits in a namespace without the label', async () => {
    const { answer } = await review('{"owner":"web-team"}');
    expect(answer.allowed).toBe(true);
  });

  it('without the header, answers per failurePolicy (Fail: denied, saying the labels were not supplied)', async () => {
    const { answer } = await review();
    expect(answer.allowed).toBe(false);
    expect(answer.status?.message).toContain('the labels of this namespace were not supplied');
  });

  it.each([
    ['not JSON', '{tier=prod}'],
    ['a forged label key', '{"bad key":"x"}'],
    ['over the cap', JSON.stringify({ tier: 'prod', pad: 'x'.repeat(maxNamespaceLabelsBytes) })],
    ['a JSON array', '[["tier","prod"]]'],
    ['JSON null', 'null'],
    ['a label whose value is a number', '{"tier":1}'],
    ['a label whose value is an object', '{"tier":{"toString":"prod"}}'],
    ['a __proto__ key', '{"__proto__":{"tier":"prod"}}'],
    ['two copies joined by the host', '{"tier":"prod"}, {"tier":"dev"}'],
    ['a value with a control character', '{"tier":"prod\\u0000"}'],
    ['empty', ''],
  ])('ignores a header that is %s, with a warning code, and still decides', async (_sentence, header) => {
    const { status, answer, lines } = await review(header);
    expect(status).toBe(200);
    expect(answer.status?.message).toContain('the labels of this namespace were not supplied');
    const warning = lines.find((line) => line.text.includes('admission.header-ignored'));
    expect(warning?.level).toBe('warning');
    expect(warning?.text).toContain('"errorCode":"NAMESPACE_LABELS_INVALID"');
    expect(lines.map((line) => line.text).join('\n')).not.toContain('bad key');
  });
});

describe('readNamespaceObject', () => {
  const request = (namespace: string | undefined, kind = 'Deployment', group = 'apps') =>
    ({
      ...loadFixture('v1-create-deployment-2-replicas.json').request,
      namespace,
      kind: { group, version: 'v1', kind },
    }) as Parameters<typeof readNamespaceObject>[1];

  it('builds the Namespace as the API server stores it', () => {
    expect(readNamespaceObject('{"tier":"prod"}', request('shop'))).toEqual({
      namespaceObject: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop', labels: { tier: 'prod' } } },
    });
  });

  it('gives none for a cluster-scoped object or a Namespace, as a ValidatingAdmissionPolicy', () => {
    expect(readNamespaceObject('{}', request(undefined))).toEqual({ namespaceObject: undefined });
    expect(readNamespaceObject('{}', request('shop', 'Namespace', ''))).toEqual({ namespaceObject: undefined });
  });
});
