import { describe, expect, it } from 'vitest';
import { detectDelimiter, readCsv, type CsvRecord } from '../../../../src/services/registry/import/csv.ts';

/** Feeds `text` to the reader split into pieces of `size` bytes, so every boundary case is crossed. */
async function read(text: string, size = 3): Promise<CsvRecord[]> {
  const bytes = new TextEncoder().encode(text);
  async function* chunks() {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const out: CsvRecord[] = [];
  for await (const r of readCsv(chunks())) out.push(r);
  return out;
}

describe('readCsv', () => {
  it('reads quoted fields, doubled quotes, delimiters and line breaks inside quotes, with line numbers', async () => {
    const text = 'a,b,c\n1,"x, y","say ""hi"""\n2,"two\nlines",z\r\n\n3,,"é"\n';
    for (const size of [1, 2, 3, 7, 1000]) {
      expect(await read(text, size)).toEqual([
        { line: 1, fields: ['a', 'b', 'c'] },
        { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
        { line: 3, fields: ['2', 'two\nlines', 'z'] },
        { line: 6, fields: ['3', '', 'é'] }, // line 5 was blank
      ]);
    }
  });

  it('strips a BOM, detects semicolons from the header, and keeps the last record without a final newline', async () => {
    expect(await read('\uFEFFnik;nama\n1;"A;B"\n2;C', 2)).toEqual([
      { line: 1, fields: ['nik', 'nama'] },
      { line: 2, fields: ['1', 'A;B'] },
      { line: 3, fields: ['2', 'C'] },
    ]);
    expect(detectDelimiter('a;b;"c,d,e"')).toBe(';');
    expect(detectDelimiter('a,b,c')).toBe(',');
  });

  it('reports an unterminated quote instead of swallowing the file', async () => {
    const recs = await read('a,b\n1,"open\n2,x\n');
    expect(recs.at(-1)).toMatchObject({ line: 2, error: 'unterminated_quote' });
    const long = `a,b\n1,"${'x'.repeat(70_000)}\n2,ok\n`;
    const out = await read(long, 4096);
    expect(out[1]).toMatchObject({ line: 2, error: 'record_too_long' });
  });
});
