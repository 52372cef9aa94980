import pino, { type Logger } from 'pino';

export type { Logger };

// Personal data must never reach a log (UU 27/2022). Structured fields are redacted by name; free text
// in the message itself is scrubbed of long digit runs (NIK, KK, phone numbers) as a second line of defence.
const SENSITIVE_KEYS = ['nik', 'noKk', 'no_kk', 'kk', 'phone', 'telepon', 'text', 'body', 'messageText', 'password', 'token'];
const REDACT_PATHS = [
  ...SENSITIVE_KEYS,
  ...SENSITIVE_KEYS.map((k) => `*.${k}`),
  ...SENSITIVE_KEYS.map((k) => `*.*.${k}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-telegram-bot-api-secret-token"]',
];

const DIGIT_RUN = /(?<!\d)\+?\d[\d -]{8,}\d(?!\d)/g;

/** Replaces runs of ten or more digits (allowing spaces and dashes) that could be a NIK, KK or phone number. */
export function scrubDigits(text: string): string {
  return text.replace(DIGIT_RUN, (m) => (m.replace(/\D/g, '').length >= 10 ? '[redacted]' : m));
}

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'pintu' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      hooks: {
        logMethod(args, method) {
          const scrubbed = args.map((a) => (typeof a === 'string' ? scrubDigits(a) : a)) as Parameters<typeof method>;
          method.apply(this, scrubbed);
        },
      },
      serializers: {
        err: (e: unknown) => {
          const s = pino.stdSerializers.err(e as Error);
          // Driver errors quote the failing row ("Key (nik)=(2171...) already exists"): scrub them too.
          if (s && typeof s.message === 'string') s.message = scrubDigits(s.message);
          if (s && typeof s.stack === 'string') s.stack = scrubDigits(s.stack);
          if (s && typeof (s as Record<string, unknown>).detail === 'string') {
            (s as Record<string, unknown>).detail = scrubDigits((s as Record<string, unknown>).detail as string);
          }
          return s;
        },
      },
    },
    destination,
  );
}
