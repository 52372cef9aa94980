// A streaming CSV reader (RFC 4180: quoted fields, doubled quotes, line breaks inside quotes, CRLF or LF).
// Written here rather than taken from npm because the import needs the physical line number of every
// record for its report, a delimiter chosen from the header line, and nothing held beyond one record.

export type Delimiter = ',' | ';';

export interface CsvRecord {
  /** Physical line (1-based) where the record starts; the header is line 1. */
  line: number;
  fields: string[];
  /** Set when the record could not be read as CSV; its fields are then not to be trusted. */
  error?: 'unterminated_quote' | 'record_too_long';
}

/** A record longer than this is a broken quote swallowing the file, not data: cut it off and resync. */
const MAX_RECORD_CHARS = 64 * 1024;

const QUOTE = 34; // "
const LF = 10;
const CR = 13;

/**
 * The delimiter of a header line: whichever of comma or semicolon occurs more outside quotes
 * (a DTSEN export opened in an Indonesian-locale spreadsheet is saved with semicolons).
 */
export function detectDelimiter(headerLine: string): Delimiter {
  let commas = 0;
  let semicolons = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ',') commas++;
    else if (!quoted && ch === ';') semicolons++;
  }
  return semicolons > commas ? ';' : ',';
}

/**
 * Records from a byte stream, decoded as UTF-8 (a leading BOM is dropped). The delimiter is detected
 * from the first line unless given. Blank lines are skipped. Memory stays at one chunk plus one record.
 */
export async function* readCsv(source: AsyncIterable<Uint8Array | string>, delimiter?: Delimiter): AsyncGenerator<CsvRecord> {
  const decoder = new TextDecoder('utf-8'); // ignoreBOM false: the BOM is stripped
  let delim = delimiter ? delimiter.charCodeAt(0) : -1;
  let pendingText = ''; // text held only until the header line is complete, to choose the delimiter

  let fields: string[] = [];
  let field = '';
  let quoted = false; // inside a quoted field
  let afterQuote = false; // a quote was just seen inside a quoted field: closing, or the first of a doubled pair
  let skipLf = false; // the last character was a CR ending a record
  let line = 1;
  let recordLine = 1;
  let recordChars = 0;
  let discarding = false; // after a runaway record, drop everything up to the next line break
  const out: CsvRecord[] = [];

  const endRecord = (error?: CsvRecord['error']) => {
    fields.push(field);
    const blank = fields.length === 1 && fields[0] === '' && !error;
    if (!blank) out.push(error ? { line: recordLine, fields, error } : { line: recordLine, fields });
    fields = [];
    field = '';
    recordChars = 0;
  };

  const feed = (text: string) => {
    let start = 0; // start of the unquoted run not yet copied into `field`
    const n = text.length;
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (skipLf) {
        skipLf = false;
        if (c === LF) {
          start = i + 1;
          continue;
        }
      }
      if (discarding) {
        if (c === LF || c === CR) {
          discarding = false;
          line++;
          recordLine = line;
          skipLf = c === CR;
        }
        start = i + 1;
        continue;
      }
      if (quoted) {
        if (afterQuote) {
          afterQuote = false;
          if (c === QUOTE) {
            field += '"'; // doubled quote
            start = i + 1;
            continue;
          }
          quoted = false; // the quote closed the field; fall through to read c unquoted
          start = i;
        } else if (c === QUOTE) {
          field += text.slice(start, i);
          afterQuote = true;
          start = i + 1;
          continue;
        } else {
          if (c === LF) line++; // CRLF and LF files; a lone CR inside quotes is rare enough to ignore
          if (++recordChars > MAX_RECORD_CHARS) {
            out.push({ line: recordLine, fields: [], error: 'record_too_long' });
            fields = [];
            field = '';
            quoted = false;
            recordChars = 0;
            discarding = true;
            start = i + 1;
          }
          continue;
        }
      }
      // unquoted
      if (c === delim) {
        field += text.slice(start, i);
        fields.push(field);
        field = '';
        start = i + 1;
      } else if (c === LF || c === CR) {
        field += text.slice(start, i);
        endRecord();
        line++;
        recordLine = line;
        skipLf = c === CR;
        start = i + 1;
      } else if (c === QUOTE && field === '' && start === i) {
        quoted = true; // a quote opens a field only at its start; elsewhere it is kept as text
        start = i + 1;
      } else if (++recordChars > MAX_RECORD_CHARS) {
        out.push({ line: recordLine, fields: [], error: 'record_too_long' });
        fields = [];
        field = '';
        recordChars = 0;
        discarding = true;
        start = i + 1;
      }
    }
    if (!discarding && start < n) field += text.slice(start, n);
  };

  const push = function* (text: string) {
    if (delim < 0) {
      pendingText += text;
      const eol = pendingText.search(/[\r\n]/);
      if (eol < 0) {
        if (pendingText.length > MAX_RECORD_CHARS) delim = ','.charCodeAt(0);
        else return;
      } else {
        delim = detectDelimiter(pendingText.slice(0, eol)).charCodeAt(0);
      }
      text = pendingText;
      pendingText = '';
    }
    feed(text);
    yield* out;
    out.length = 0;
  };

  for await (const chunk of source) {
    yield* push(typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true }));
  }
  yield* push(decoder.decode());
  if (delim < 0) {
    delim = detectDelimiter(pendingText).charCodeAt(0);
    feed(pendingText);
  }
  if (quoted && !afterQuote) endRecord('unterminated_quote');
  else if (!discarding && (field !== '' || fields.length > 0)) endRecord();
  yield* out;
}
