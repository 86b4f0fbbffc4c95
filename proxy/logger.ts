// Structured JSON logs (pino). Call sites pass only allowlisted fields (request id,
// uid, method, path, status, upstream status, duration, failure reason); redaction
// is the safety net should a header or key object ever be passed by mistake.
import { type DestinationStream, type Logger, type LoggerOptions, pino } from 'pino';

export type { Logger };

export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'admission-proxy' },
    redact: {
      paths: [
        'headers',
        '*.headers',
        'key',
        '*.key',
        'functionKey',
        '*.functionKey',
        'body',
        '*.body',
        'cert',
        '*.cert',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
