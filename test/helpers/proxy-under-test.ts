// A proxy for a whole test file: certificates, a fake function and the proxy, started
// before the first test and stopped after the last, when its log is checked for the key.
import { afterAll, beforeAll, expect } from 'vitest';
import {
  type Certificates,
  type FakeFunction,
  functionKey,
  makeCertificates,
  type RunningProxy,
  startFakeFunction,
  startProxy,
} from './proxy-harness.js';
import { secretsFoundIn } from './secrets-in-logs.js';

export interface ProxyUnderTest {
  readonly certs: Certificates;
  readonly upstream: FakeFunction;
  readonly running: RunningProxy;
}

export function proxyForThisFile(env: Record<string, string> = {}): ProxyUnderTest {
  const under = {} as { certs: Certificates; upstream: FakeFunction; running: RunningProxy };
  beforeAll(async () => {
    under.certs = await makeCertificates();
    under.upstream = await startFakeFunction();
    under.running = await startProxy(under.certs, under.upstream, env);
  });
  afterAll(async () => {
    await under.running.proxy.shutdown();
    await under.upstream.close();
    // Whatever happened in the file, the key never reached the proxy's log.
    expect(secretsFoundIn(under.running.logs, { functionKey })).toEqual([]);
  });
  return under;
}
