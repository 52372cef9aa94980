import { describe, expect, it } from 'vitest';
import { chosenOptions } from '../../src/domain/chosen-option.ts';

// A button press reads as the words the resident saw, taken from the options of the office's last message before it.

type Row = { direction: 'in' | 'out'; kind: string; body: string | null; payload: unknown };
const out = (text: string, options?: { id: string; label: string }[]): Row => ({ direction: 'out', kind: 'text', body: text, payload: options ? { text, options } : { text } });
const press = (choice: string, body: string | null = null): Row => ({ direction: 'in', kind: 'choice', body, payload: { choice } });
const said = (text: string): Row => ({ direction: 'in', kind: 'text', body: text, payload: null });

describe('chosenOptions', () => {
  it('shows a press as the label of the option the last office message offered', () => {
    const rows = [
      out('Apa yang ingin Bapak/Ibu lakukan?', [
        { id: 'aid', label: 'Cek bantuan' },
        { id: 'complaint', label: 'Pengaduan' },
      ]),
      press('complaint'),
    ];
    expect(chosenOptions(rows).map((r) => r.chosen)).toEqual([null, 'Pengaduan']);
  });

  it('reads each press against the latest options, not an earlier question with the same id', () => {
    const rows = [
      out('Pilih menu', [{ id: 'yes', label: 'Menu: ya' }]),
      press('yes'),
      out('Apakah data ini benar?', [
        { id: 'yes', label: 'Ya, benar' },
        { id: 'no', label: 'Tidak' },
      ]),
      press('yes'),
      press('no'),
    ];
    expect(chosenOptions(rows).map((r) => r.chosen)).toEqual([null, 'Menu: ya', null, 'Ya, benar', 'Tidak']);
  });

  it('keeps the options of the last office message that had any, across a plain notice in between', () => {
    const rows = [out('Beri nilai', [{ id: 'csat:4', label: '4 - Puas' }]), out('Terima kasih.'), press('csat:4')];
    expect(chosenOptions(rows).at(-1)!.chosen).toBe('4 - Puas');
  });

  it('leaves an id nobody offered as the id: it is still what was pressed', () => {
    expect(chosenOptions([press('csat:5')])[0]!.chosen).toBe('csat:5');
    const rows = [out('Pilih', [{ id: 'a', label: 'A' }]), press('zzz')];
    expect(chosenOptions(rows)[1]!.chosen).toBe('zzz');
  });

  it('prefers the words the channel sent with the press (WhatsApp button titles)', () => {
    const rows = [out('Pilih', [{ id: 'aid', label: 'Cek bantuan' }]), press('aid', 'Cek status bantuan')];
    expect(chosenOptions(rows)[1]!.chosen).toBe('Cek status bantuan');
    // A body of spaces carries no words: the label is shown.
    expect(chosenOptions([rows[0]!, press('aid', '   ')])[1]!.chosen).toBe('Cek bantuan');
  });

  it('marks nothing on text, outbound, or a press without a choice id; keeps order and fields', () => {
    const rows = [out('Pilih', [{ id: 'a', label: 'A' }]), said('a'), { direction: 'in' as const, kind: 'choice', body: null, payload: {} }, { direction: 'in' as const, kind: 'choice', body: null, payload: null }];
    const shown = chosenOptions(rows);
    expect(shown.map((r) => r.chosen)).toEqual([null, null, null, null]);
    expect(shown[1]).toEqual({ ...rows[1], chosen: null });
  });

  it('ignores malformed options in a payload', () => {
    const rows: Row[] = [{ direction: 'out', kind: 'text', body: 'x', payload: { options: [{ id: 1, label: 'bad' }, { id: 'ok', label: 'Baik' }, null] } }, press('ok')];
    expect(chosenOptions(rows)[1]!.chosen).toBe('Baik');
  });
});
