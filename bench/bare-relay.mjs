// The Node floor for the proxy benchmark (test/bench/proxy-load.mjs): the least a Node
// TLS relay can do. Same certificate and upstream settings as the proxy; buffers the
// review, adds the key, forwards it over keep-alive, pipes the answer back. Prints its port.
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:https';

const env = process.env;
const key = readFileSync(env.FUNCTION_KEY_FILE, 'utf8').trim();
const agent = new Agent({ keepAlive: true, maxSockets: 256, noDelay: true });
const server = createServer(
  { cert: readFileSync(env.TLS_CERT_FILE), key: readFileSync(env.TLS_KEY_FILE) },
  (req, res) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { 'content-type': 'application/json', 'content-length': body.length, 'x-functions-key': key };
      const upstream = request(env.FUNCTION_URL, { method: 'POST', agent, headers }, (answer) => {
        const { 'content-type': type, 'content-length': length } = answer.headers;
        res.writeHead(answer.statusCode, { 'content-type': type, ...(length ? { 'content-length': length } : {}) });
        answer.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      upstream.end(body);
    });
  },
);
server.keepAliveTimeout = 65_000;
server.listen(0, env.HOST ?? '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => process.exit(0));
