// A Node TLS relay built on a reverse-proxy library, for the proxy benchmark
// (test/bench/proxy-load.mjs): LIBRARY=http-proxy (1.18.1, what the proxy first used)
// or LIBRARY=http-proxy-3 (its maintained, API-compatible fork). Same certificate,
// upstream pool and key header as the bare relay (bench/bare-relay.mjs); the library
// streams the review and the answer, as such a relay is usually written. It shows what
// the library alone costs over the bare relay. Prints its port.
import { readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { createServer } from 'node:https';

const env = process.env;
const library = env.LIBRARY === 'http-proxy-3' ? await import('http-proxy-3') : (await import('http-proxy')).default;
const key = readFileSync(env.FUNCTION_KEY_FILE, 'utf8').trim();
const agent = new Agent({ keepAlive: true, maxSockets: 256, noDelay: true });
const proxy = library.createProxyServer({
  target: env.FUNCTION_URL,
  ignorePath: true,
  changeOrigin: true,
  agent,
  headers: { 'x-functions-key': key },
});
const server = createServer(
  { cert: readFileSync(env.TLS_CERT_FILE), key: readFileSync(env.TLS_KEY_FILE) },
  (req, res) =>
    proxy.web(req, res, {}, () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    }),
);
server.keepAliveTimeout = 65_000;
server.listen(0, env.HOST ?? '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => process.exit(0));
