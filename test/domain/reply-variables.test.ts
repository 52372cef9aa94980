import { describe, expect, it } from 'vitest';
import { CANNED_VARIABLES } from '../../src/services/staff/canned-responses.ts';
import { fillVariables, REPLY_VARIABLES, unknownVariables } from '../../src/domain/reply-variables.ts';

// The placeholders of a canned reply: which ones are known, and what the resident receives once they are filled.

const values = { nama: 'Siti Aminah', nomor_tiket: 'PGD-2026-000123', kecamatan: 'Sagulung', petugas: 'Rina' };

describe('unknownVariables', () => {
  it('finds a mistyped placeholder once, and accepts the known ones with or without inner spaces', () => {
    expect(unknownVariables('Yth. {{nama}}, laporan {{ nomor_tiket }} di {{kecamatan}} — {{petugas}}')).toEqual([]);
    expect(unknownVariables('Yth. {{nmaa}}, {{nmaa}} dan {{Nama}}')).toEqual(['nmaa', 'Nama']);
    expect(unknownVariables('{{}}')).toEqual(['']);
  });

  it('leaves single braces and plain text alone', () => {
    expect(unknownVariables('Kode {nama} dan {x}, tanpa isian')).toEqual([]);
  });

  it('knows the same variables the canned response editor accepts', () => {
    expect([...REPLY_VARIABLES].sort()).toEqual([...CANNED_VARIABLES].sort());
  });
});

describe('fillVariables', () => {
  it('fills every known placeholder', () => {
    const text = 'Yth. Bapak/Ibu {{nama}}, laporan {{nomor_tiket}} di Kecamatan {{ kecamatan }} sedang kami proses. Salam, {{petugas}}';
    expect(fillVariables(text, values)).toBe('Yth. Bapak/Ibu Siti Aminah, laporan PGD-2026-000123 di Kecamatan Sagulung sedang kami proses. Salam, Rina');
  });

  it('leaves no " ," or double space behind when a value is unknown', () => {
    expect(fillVariables('Yth. Bapak/Ibu {{nama}},', { nama: null })).toBe('Yth. Bapak/Ibu,');
    expect(fillVariables('Yth. Bapak/Ibu {{nama}},', {})).toBe('Yth. Bapak/Ibu,');
    expect(fillVariables('Yth. Bapak/Ibu {{nama}}, laporan {{nomor_tiket}} diterima.', { nama: '   ', nomor_tiket: 'PGD-1' })).toBe('Yth. Bapak/Ibu, laporan PGD-1 diterima.');
    expect(fillVariables('Salam dari {{petugas}} di {{kecamatan}}.', {})).toBe('Salam dari di.');
  });

  it('trims a filled value', () => {
    expect(fillVariables('Halo {{nama}}!', { nama: '  Budi  ' })).toBe('Halo Budi!');
  });

  it('keeps line breaks of the template', () => {
    expect(fillVariables('Yth. {{nama}},\n\nTerima kasih.\n{{petugas}}', values)).toBe('Yth. Siti Aminah,\n\nTerima kasih.\nRina');
  });

  it('leaves an unknown placeholder as written (the caller refuses it first)', () => {
    expect(fillVariables('Yth. {{nmaa}} / {{nama}}', values)).toBe('Yth. {{nmaa}} / Siti Aminah');
  });

  it('puts a value in literally: no replacement patterns, no second round of placeholders', () => {
    // A chat display name is chosen by the resident; it must not pull in the officer's name or a regex pattern.
    expect(fillVariables('Halo {{nama}}, dari {{petugas}}', { nama: "{{petugas}} $& $1 $' x", petugas: 'Rina' })).toBe("Halo {{petugas}} $& $1 $' x, dari Rina");
  });
});
