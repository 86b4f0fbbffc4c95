// Reads a Node stream into a buffer, up to a limit. Stops reading as soon as the
// limit is passed instead of buffering what follows.
import type { Readable } from 'node:stream';

export type StreamRead = { readonly body: Buffer } | { readonly failure: 'too-large' | 'aborted' };

export function readStream(stream: Readable, limit: number): Promise<StreamRead> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: StreamRead) => {
      stream.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        stream.pause();
        finish({ failure: 'too-large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ body: Buffer.concat(chunks, size) });
    const onError = () => finish({ failure: 'aborted' });
    const onClose = () => finish({ failure: 'aborted' }); // closed before 'end'
    stream.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}
