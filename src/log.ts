import pino, { type Logger } from 'pino';

export type { Logger };

// Personal data must never reach a log (UU 27/2022). Structured fields are redacted by name; free text
// in the message itself is scrubbed of long digit runs (NIK, KK, phone numbers) as a second line of defence.
const SENSITIVE_KEYS = ['params', 'parameters', 'args', 'nik', 'noKk', 'no_kk', 'kk', 'phone', 'telepon', 'text', 'body', 'messageText', 'password', 'token'];
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

/**
 * The service's standard output, written asynchronously: a log line never holds up a turn with a write of
 * its own. pino flushes what is buffered when the process exits, process.exit included.
 */
export function stdoutLog(): pino.DestinationStream {
  return pino.destination({ dest: 1, sync: false });
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
      serializers: { err: safeError },
    },
    destination,
  );
}

// What of an error reaches the log: a fixed list of fields, never the error's own enumerable properties.
// A failed query carries its parameters (drizzle's DrizzleQueryError puts them in its message and in
// `params`; postgres.js in `parameters` and `args`) and PostgreSQL's `detail` quotes the failing row ("Key
// (nik)=(…) already exists"): any of them may be a NIK, a phone number or a resident's message.
const ERROR_FIELDS = ['code', 'severity', 'routine', 'constraint_name', 'table_name', 'column_name', 'schema_name', 'errno', 'syscall'] as const;

/** An error as the log may hold it; its cause too, a few levels deep. */
export function safeError(e: unknown, depth = 0): Record<string, unknown> | unknown {
  if (!(e instanceof Error)) return typeof e === 'string' ? scrubDigits(withoutParams(e)) : e;
  const message = withoutValues(e, withoutParams(e.message));
  const out: Record<string, unknown> = { type: e.name, message: scrubDigits(message) };
  // The stack repeats the message (parameters and all) in its first lines.
  if (e.stack) out.stack = scrubDigits(e.stack.split(e.message).join(message));
  for (const key of ERROR_FIELDS) {
    const value = (e as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string' || typeof value === 'number') out[key] = value;
  }
  if (e.cause !== undefined && depth < 3) out.cause = safeError(e.cause, depth + 1);
  return out;
}

/**
 * PostgreSQL's data exceptions (SQLSTATE class 22) quote the value that failed: 'invalid input syntax for type
 * integer: "…"'. The quoted value goes; other classes quote only names (a table, a constraint), which stay.
 */
function withoutValues(e: Error, text: string): string {
  const code = (e as unknown as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('22') ? text.replace(/"(?:[^"\\]|\\.)*"/gs, '"[redacted]"') : text;
}

/**
 * Drizzle's "Failed query: …\nparams: …": the statement stays (placeholders only), the values go: all of them
 * to the end, since a value may itself hold line breaks.
 */
function withoutParams(text: string): string {
  return text.replace(/\nparams: [\s\S]*$/, '\nparams: [redacted]');
}
