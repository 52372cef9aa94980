import { describe, expect, it } from 'vitest';
import { matchCommand } from '../../src/domain/commands.ts';
import { matchIntent } from '../../src/domain/intents.ts';

describe('matchCommand: the data subject’s commands', () => {
  it('reads BERHENTI and STOP as stopping messages, never as batal', () => {
    for (const t of ['berhenti', 'BERHENTI', 'Stop', 'stop!', 'unsubscribe', 'berhnti', 'brhenti', 'berhenti langganan', 'jangan kirim lagi']) expect({ t, c: matchCommand(t) }).toEqual({ t, c: 'stop' });
    for (const t of ['batal', 'cancel', 'batl', 'keluar']) expect({ t, c: matchCommand(t) }).toEqual({ t, c: 'cancel' });
  });

  it('reads MULAI and START (Telegram’s /start) as resuming, and keeps "menu" the menu', () => {
    for (const t of ['mulai', 'Mulai lagi', 'start', '/start', 'resume']) expect({ t, c: matchCommand(t) }).toEqual({ t, c: 'resume' });
    expect(matchCommand('menu')).toBe('menu');
    // A name typed as an answer is not a command.
    expect(matchCommand('Mulia')).toBeUndefined();
    expect(matchCommand('step')).toBeUndefined();
  });

  it('reads DATA SAYA and HAPUS RIWAYAT, with a slip in the long words only', () => {
    for (const t of ['data saya', 'Data Saya', 'data sya', 'my data', 'data pribadi']) expect({ t, c: matchCommand(t) }).toEqual({ t, c: 'myData' });
    for (const t of ['hapus riwayat', 'Hapus Riwayat!', 'hapus riwyat', 'hpus riwayat', 'delete history', 'delet history']) expect({ t, c: matchCommand(t) }).toEqual({ t, c: 'deleteHistory' });
    expect(matchCommand('dana saya')).toBeUndefined();
    expect(matchCommand('data saya salah')).toBeUndefined();
  });
});

describe('matchIntent: the rights in a sentence at the menu', () => {
  it('finds DATA SAYA and HAPUS RIWAYAT, and never stops messages from a sentence', () => {
    expect(matchIntent('saya mau lihat data saya')).toBe('myData');
    expect(matchIntent('tolong hapus riwayat chat saya')).toBe('deleteHistory');
    expect(matchIntent('cek data bansos')).toBe('aid');
    // "harus" is one slip from "hapus", yet this is the question of what to bring, not a deletion.
    expect(matchIntent('apa yang harus saya bawa')).toBe('faqDocuments');
    expect(matchIntent('bantuan saya berhenti')).toBe('aid');
  });
});
