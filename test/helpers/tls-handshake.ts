// Serves a certificate pair from a directory and connects to it with a client that
// trusts only that directory's ca.crt: resolves with the served certificate's serial.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { connect } from 'node:tls';

export function handshakeWith(directory: string, servername: string): Promise<string> {
  const server = createServer({
    cert: readFileSync(join(directory, 'tls.crt')),
    key: readFileSync(join(directory, 'tls.key')),
  });
  return new Promise((resolve, reject) => {
    server.listen(0, '127.0.0.1', () => {
      const socket = connect({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        servername,
        ca: readFileSync(join(directory, 'ca.crt')),
      });
      socket.once('secureConnect', () => {
        resolve(socket.getPeerCertificate().serialNumber);
        socket.end();
        server.close();
      });
      socket.once('error', (error) => {
        server.close();
        reject(error);
      });
    });
  });
}
