// The bundle Azure runs (package.json "main" -> dist/app, built by npm run build):
// loaded in a fresh process, as the Functions worker loads it, it answers reviews the
// same way the sources do, reads a policy file through its lazy chunk, and leaves the
// modules that must load lazily (twilio, yaml, CEL) out of the bundle.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { entryModules, mainDirectory, mainGlob } from '../helpers/function-app-entries.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const appDirectory = mainDirectory();

/** Imports every "main" entry in a new process and answers one fixture; prints the answer. */
function answerInFreshProcess(fixture: string, env: Record<string, string> = {}) {
  const script = `
    import { readFileSync } from 'node:fs';
    const functions = (await import('@azure/functions')).default;
    const modules = [];
    for (const entry of ${JSON.stringify(entryModules())}) modules.push(await import(entry));
    const { admission, smsQueue } = modules.find((module) => module.admission);
    const body = readFileSync('test/fixtures/${fixture}', 'utf8');
    const request = new functions.HttpRequest({ method: 'POST', url: 'http://127.0.0.1/api/admission', headers: { 'content-type': 'application/json' }, body: { string: body } });
    const context = new functions.InvocationContext({ logHandler: () => {} });
    const response = await admission(request, context);
    console.log(JSON.stringify({ answer: response.jsonBody, queued: context.extraOutputs.get(smsQueue) ?? [], exported: modules.map((module) => Object.keys(module).sort()) }));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd: root, encoding: 'utf8', env: { PATH: process.env.PATH, CLUSTER_NAME: 'bundle', ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  return JSON.parse(output.trim().split('\n').pop()!);
}

describe('the function app bundle', () => {
  it('is what package.json "main" names: the two functions, nothing else at that level', () => {
    expect(mainGlob).toBe('dist/app/*.js');
    expect(entryModules().map((file) => file.split('/').pop()).sort()).toEqual(['admission.js', 'notify.js']);
  });

  it('denies a Deployment below the minimum and queues its text', () => {
    const { answer, queued, exported } = answerInFreshProcess('v1-create-deployment-2-replicas.json');
    expect(answer.response).toMatchObject({ uid: expect.any(String), allowed: false, status: { code: 403 } });
    expect(answer.response.status.message).toContain('minimum is 3');
    expect(queued).toHaveLength(1);
    expect(exported.flat()).toEqual(expect.arrayContaining(['admission', 'notify', 'smsQueue']));
  });

  it('reads a policy file with CEL rules through its lazily loaded part', () => {
    const policyFile = join(mkdtempSync(join(tmpdir(), 'bundle-policy-')), 'policy.yaml');
    writeFileSync(policyFile, [
      'apiVersion: admission.serverless.io/v1',
      'kind: AdmissionPolicy',
      'rules:',
      '  - name: at-most-2-replicas',
      '    builtin: cel',
      '    expression: "object.spec.replicas <= 2"',
      '    message: at most 2 replicas in this test',
    ].join('\n'));
    const { answer } = answerInFreshProcess('v1-create-deployment-3-replicas.json', { POLICY_FILE: policyFile });
    expect(answer.response).toMatchObject({ allowed: false, status: { code: 403 } });
    expect(answer.response.status.message).toContain('at most 2 replicas in this test');
  });

  it('leaves twilio, yaml and the CEL compiler out of the bundle', () => {
    const files = readdirSync(`${root}${appDirectory}`, { recursive: true }).filter((name) => String(name).endsWith('.js'));
    const text = files.map((name) => readFileSync(`${root}${appDirectory}/${String(name)}`, 'utf8')).join('\n');
    expect(text).toMatch(/from ["']twilio["']|import\(["']twilio["']\)/);
    expect(text).toMatch(/from ["']yaml["']/);
    expect(text).not.toContain('api.twilio.com');
    expect(text).not.toContain('class YAMLMap');
  });
});
