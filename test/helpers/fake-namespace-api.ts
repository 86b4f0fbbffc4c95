// A scripted Kubernetes API for the proxy's namespace watch, over HTTPS on 127.0.0.1:
// GET /api/v1/namespaces lists the namespaces it holds (paged with limit and
// continue), and ?watch=1 holds the answer open for the events a test sends. Tests can
// make the next list or watch fail with a status, or write any line they like into
// the open watches. It records every request's path and bearer token.
import { readFileSync, writeFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { makeCertificates } from './proxy-harness.js';

export interface FakeNamespaceApi {
  readonly port: number;
  readonly caFile: string;
  readonly tokenFile: string;
  /** The proxy's settings that point it here. */
  readonly env: Record<string, string>;
  readonly requests: { readonly path: string; readonly token: string }[];
  readonly namespaces: Map<string, Record<string, string>>;
  /** Statuses the next lists (or watches) answer with, first first. */
  readonly failLists: number[];
  readonly failWatches: number[];
  /** Changes a namespace (labels) or deletes it (null), and tells the open watches. */
  change(name: string, labels: Record<string, string> | null): void;
  /** Writes a raw line (a newline is added) to every open watch. */
  writeLine(line: string): void;
  openWatches(): number;
  /** Ends every open watch (as the server's timeoutSeconds would). */
  endWatches(): void;
  /** Cuts every open watch's connection (a reset, mid-stream). */
  resetWatches(): void;
  /** Lists answered with the head and half a body, then a cut connection. */
  cutLists: number;
  close(): Promise<void>;
}

export async function startFakeNamespaceApi(): Promise<FakeNamespaceApi> {
  const certs = await makeCertificates();
  const tokenFile = join(certs.directory, 'token');
  writeFileSync(tokenFile, 'sa-token-one\n');
  let version = 100;
  const watches = new Set<ServerResponse>();
  const fake = {
    caFile: join(certs.directory, 'ca.crt'),
    tokenFile,
    requests: [] as { path: string; token: string }[],
    namespaces: new Map<string, Record<string, string>>(),
    failLists: [] as number[],
    failWatches: [] as number[],
    cutLists: 0,
  };
  writeFileSync(fake.caFile, certs.ca.cert);
  const toObject = (name: string, labels: Record<string, string>) => ({
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name, resourceVersion: String(version), labels, annotations: { note: 'dropped by the proxy' } },
    status: { phase: 'Active' },
  });
  const server: Server = createServer({ cert: readFileSync(certs.certFile), key: readFileSync(certs.keyFile) });
  server.on('request', (req, res) => {
    const url = new URL(req.url ?? '/', 'https://127.0.0.1');
    fake.requests.push({ path: url.pathname + url.search, token: String(req.headers.authorization ?? '') });
    if (url.pathname !== '/api/v1/namespaces') return void res.writeHead(404).end();
    const watching = url.searchParams.get('watch') === '1';
    const failure = (watching ? fake.failWatches : fake.failLists).shift();
    if (failure !== undefined) return void res.writeHead(failure, { 'content-type': 'application/json' }).end('{}');
    if (watching) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      watches.add(res);
      res.on('close', () => watches.delete(res));
      return;
    }
    const names = [...fake.namespaces.keys()].sort();
    const offset = Number(url.searchParams.get('continue') ?? '0');
    const limit = Number(url.searchParams.get('limit') ?? names.length);
    const page = names.slice(offset, offset + limit);
    const more = offset + limit < names.length ? String(offset + limit) : undefined;
    const items = page.map((name) => toObject(name, fake.namespaces.get(name) ?? {}));
    const list = JSON.stringify({
      kind: 'NamespaceList',
      metadata: { resourceVersion: String(version), continue: more },
      items,
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    if (fake.cutLists > 0) {
      fake.cutLists--;
      res.write(list.slice(0, list.length / 2), () => res.socket?.destroy());
      return;
    }
    res.end(list);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const writeLine = (line: string) => {
    for (const res of watches) res.write(`${line}\n`);
  };
  return Object.assign(fake, {
    port,
    env: {
      NAMESPACE_LABELS: 'watch',
      KUBERNETES_SERVICE_HOST: '127.0.0.1',
      KUBERNETES_SERVICE_PORT: String(port),
      KUBERNETES_TOKEN_FILE: tokenFile,
      KUBERNETES_CA_FILE: fake.caFile,
    },
    change(name: string, labels: Record<string, string> | null) {
      version++;
      const type = labels === null ? 'DELETED' : fake.namespaces.has(name) ? 'MODIFIED' : 'ADDED';
      const object = toObject(name, labels ?? fake.namespaces.get(name) ?? {});
      if (labels === null) fake.namespaces.delete(name);
      else fake.namespaces.set(name, labels);
      writeLine(JSON.stringify({ type, object }));
    },
    writeLine,
    openWatches: () => watches.size,
    endWatches: () => {
      for (const res of watches) res.end();
    },
    resetWatches: () => {
      for (const res of watches) res.socket?.destroy();
    },
    close: () => {
      for (const res of watches) res.destroy();
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}
