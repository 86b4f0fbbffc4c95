// admission-check audit lists the objects admitted by approval (approve by reply): the
// used grant rows of the function app's approvals table, read only when
// APPROVALS_CONNECTION_STRING is set, against Azurite here.
import { TableClient } from '@azure/data-tables';
import { describe, expect, it } from 'vitest';
import { readApprovedAdmission, selectApprovedAdmissions } from '../../deploy/admission-check/approval-grants.js';
import { parseCliRequest } from '../../deploy/admission-check/cli-options.js';
import { formatAuditJson, formatAuditText } from '../../deploy/admission-check/format-audit.js';
import { readApprovedAdmissions } from '../../deploy/admission-check/read-approval-grants.js';
import type { AuditRun } from '../../deploy/admission-check/run-audit.js';
import { azuriteForThisFile } from '../helpers/azurite.js';

const azurite = azuriteForThisFile();

const usedAt = Date.parse('2026-12-02T10:43:05Z');
const grant = {
  cluster: 'prod-aks',
  namespace: 'shop',
  kind: 'Deployment',
  name: 'web',
  rules: JSON.stringify(['min-replicas']),
  approvers: JSON.stringify(['+44…0123']),
  approvedAt: '2026-12-02T10:42:17Z',
  expiresAt: usedAt + 600_000,
};
const admitted = {
  cluster: 'prod-aks',
  namespace: 'shop',
  kind: 'Deployment',
  name: 'web',
  rules: ['min-replicas'],
  approvers: ['+44...0123'],
  approvedAt: '2026-12-02T10:42:17Z',
  admittedAt: '2026-12-02T10:43:05.000Z',
};

describe('objects admitted by approval, from grant rows', () => {
  it('reads a used grant, and leaves out unused grants and rows it does not know', () => {
    expect(readApprovedAdmission({ ...grant, usedAt })).toEqual(admitted);
    expect(readApprovedAdmission(grant)).toBeUndefined();
    expect(readApprovedAdmission({ ...grant, usedAt, rules: 'not json' })).toBeUndefined();
  });

  it('keeps to the namespaces asked for, the latest first', () => {
    const later = { ...admitted, name: 'api', admittedAt: '2026-12-02T11:00:00.000Z' };
    const elsewhere = { ...admitted, namespace: 'payments' };
    expect(selectApprovedAdmissions([admitted, later, elsewhere], ['shop'])).toEqual([later, admitted]);
    expect(selectApprovedAdmissions([admitted, elsewhere], [])).toHaveLength(2);
  });

  it('are listed in the text report and added to the JSON document', () => {
    const run: AuditRun = {
      cluster: 'prod',
      server: 'https://prod:6443',
      policy: 'policy.yaml',
      scope: '--scope webhook',
      results: [],
      problems: [],
      requests: 2,
      approvals: [admitted],
    };
    expect(formatAuditText(run)).toContain(
      'admitted by approval (approve by reply): 1\n  deployment shop/web on prod-aks: min-replicas approved by +44...0123, admitted 2026-12-02T10:43:05.000Z\n',
    );
    expect(JSON.parse(formatAuditJson(run)).approvals).toEqual([admitted]);
    expect(formatAuditText({ ...run, approvals: undefined })).not.toContain('admitted by approval');
  });

  it('are asked for by APPROVALS_CONNECTION_STRING', () => {
    const env = { APPROVALS_CONNECTION_STRING: 'UseDevelopmentStorage=true' };
    expect(parseCliRequest(['audit'], env)).toMatchObject({
      value: { approvalsConnection: env.APPROVALS_CONNECTION_STRING },
    });
    expect(parseCliRequest(['audit'], {})).toMatchObject({ value: { approvalsConnection: undefined } });
  });
});

describe('reading the approvals table', () => {
  it('finds nothing, and no problem, before the function app made the table', async () => {
    expect(await readApprovedAdmissions(azurite().connectionString)).toEqual({ admissions: [], problems: [] });
  });

  it('lists the used grants of the table', async () => {
    const client = TableClient.fromConnectionString(azurite().connectionString, 'approvals', {
      allowInsecureConnection: true,
    });
    await client.createTable();
    await client.createEntity({ partitionKey: 'grant', rowKey: 'a'.repeat(64), ...grant, usedAt });
    await client.createEntity({ partitionKey: 'grant', rowKey: 'b'.repeat(64), ...grant, name: 'unused' });
    await client.createEntity({ partitionKey: 'offer', rowKey: 'a'.repeat(64), codes: '[]' });
    expect(await readApprovedAdmissions(azurite().connectionString)).toEqual({ admissions: [admitted], problems: [] });
  });

  it('reports a table it cannot reach as APPROVALS_UNREADABLE, without the connection string', async () => {
    const secret = 'c2VjcmV0LWtleQ==';
    const unreachable = `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${secret};TableEndpoint=http://127.0.0.1:9/devstoreaccount1;`;
    const { admissions, problems } = await readApprovedAdmissions(unreachable);
    expect(admissions).toEqual([]);
    expect(problems).toEqual([expect.objectContaining({ code: 'APPROVALS_UNREADABLE' })]);
    expect(JSON.stringify(problems)).not.toContain(secret);
  }, 20_000);
});
