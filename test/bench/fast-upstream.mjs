// A fast stand-in for the admission function, for load tests: answers every review
// with an allowing AdmissionReview for its uid. Prints its port on stdout.
import { createServer } from 'node:http';

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (chunk) => chunks.push(chunk));
  req.on('end', () => {
    let review;
    try {
      review = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      process.stderr.write(
        `fast upstream: a ${req.method} without a JSON body (${req.headers['content-length'] ?? 'no'} length)\n`,
      );
      return void res.writeHead(400).end();
    }
    const body = JSON.stringify({
      apiVersion: review.apiVersion,
      kind: 'AdmissionReview',
      response: { uid: review.request.uid, allowed: true },
    });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }).end(body);
  });
});
server.keepAliveTimeout = 120_000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => process.exit(0));
