// A watch's body, split into its lines: the API server writes one JSON event a line.
// Bounded: a line longer than the cap stops the reader (nothing legitimate is that
// long), so a broken or hostile stream cannot make the proxy buffer without end.

export class LineTooLong extends Error {
  readonly reason = 'line_too_long';
  constructor(maxLineBytes: number) {
    super(`a watch event over ${maxLineBytes} bytes`);
    this.name = 'LineTooLong';
  }
}

export interface LineSplitter {
  /** Calls onLine for each whole line in the chunk; throws LineTooLong past the cap. */
  push(chunk: Buffer): void;
  /** Bytes of the unfinished line held. */
  held(): number;
}

const newline = 0x0a;

export function createLineSplitter(maxLineBytes: number, onLine: (line: string) => void): LineSplitter {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const emit = (line: Buffer) => {
    const text = line.toString('utf8').trim();
    if (text !== '') onLine(text); // blank lines (keep-alives) carry nothing
  };
  return {
    push(chunk) {
      let start = 0;
      for (let end = chunk.indexOf(newline, start); end >= 0; end = chunk.indexOf(newline, start)) {
        if (pendingBytes + end - start > maxLineBytes) throw new LineTooLong(maxLineBytes);
        const piece = chunk.subarray(start, end);
        emit(pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]));
        pending = [];
        pendingBytes = 0;
        start = end + 1;
      }
      const rest = chunk.length - start;
      if (pendingBytes + rest > maxLineBytes) throw new LineTooLong(maxLineBytes);
      if (rest > 0) {
        pending.push(chunk.subarray(start));
        pendingBytes += rest;
      }
    },
    held: () => pendingBytes,
  };
}
