import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubDigits } from '../src/log.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: createLogger('info', stream), lines };
}

describe('logging', () => {
  it('redacts NIK, KK, phone numbers and message text in structured fields', () => {
    const { logger, lines } = capture();
    logger.info(
      { nik: '2171105203850001', noKk: '2171100101100001', phone: '081234567890', text: 'nama saya Siti', contact: { phone: '0812', body: 'halo' } },
      'inbound',
    );
    const out = lines.join('');
    expect(out).not.toContain('2171105203850001');
    expect(out).not.toContain('2171100101100001');
    expect(out).not.toContain('081234567890');
    expect(out).not.toContain('Siti');
    expect(out).not.toContain('halo');
    expect(JSON.parse(lines[0]!).nik).toBe('[redacted]');
  });

  it('scrubs long digit runs from free-text messages and errors', () => {
    const { logger, lines } = capture();
    logger.warn('lookup failed for 2171105203850001 from +62 812-3456-7890');
    logger.error({ err: new Error('Key (nik)=(2171105203850001) already exists') }, 'insert failed');
    const out = lines.join('');
    expect(out).not.toMatch(/2171105203850001|3456-7890/);
    expect(out).toContain('[redacted]');
  });

  it('leaves short numbers such as ports, years and counts alone', () => {
    expect(scrubDigits('port 3000, year 2026, 211000 families')).toBe('port 3000, year 2026, 211000 families');
  });
});
