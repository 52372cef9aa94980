import { describe, expect, it } from 'vitest';
import { readInvitationRequest } from '../../src/domain/intents/invitation-want.ts';

// What a resident's words ask to do with their invitation. Read narrowly: a question or anything unclear asks
// for nothing, and the resident gets the invitation with its four answers.
const TABLE: [string, ReturnType<typeof readInvitationRequest>][] = [
  ['mau konfirmasi hadir undangan pembagian', { want: 'confirm' }],
  ['konfirmasi kehadiran', { want: 'confirm' }],
  ['insyaallah saya akan datang', { want: 'confirm' }],
  ['sy siap hadir pak', { want: 'confirm' }],
  ['I want to confirm I will come to the distribution', { want: 'confirm' }],
  ['I will attend', { want: 'confirm' }],
  ['saya tidak bisa datang ke pembagian', { want: 'decline' }],
  ['sy tdk bs hadir', { want: 'decline' }],
  ['maaf saya berhalangan', { want: 'decline' }],
  ['gak bisa dateng bu', { want: 'decline' }],
  ['saya tidak bisa ambil, anak saya sakit', { want: 'decline' }],
  ['I cannot come to the distribution', { want: 'decline' }],
  ["I can't come", { want: 'decline' }],
  ['cant make it', { want: 'decline' }],
  ['undangan pembagian mau diwakilkan suami', { want: 'proxy', relation: 'spouse' }],
  ['bisa diambilkan anak saya?', { want: 'proxy', relation: 'child' }],
  ['yang ambil nanti istri saya', { want: 'proxy', relation: 'spouse' }],
  ['mau pakai surat kuasa', { want: 'proxy' }],
  ['diwakili bapak saya', { want: 'proxy', relation: 'parent' }],
  ['diwakili adik saya', { want: 'proxy', relation: 'sibling' }],
  ['my husband will collect my invitation for me', { want: 'proxy', relation: 'spouse' }],
  ['my daughter will collect on my behalf', { want: 'proxy', relation: 'child' }],
  ['mau ganti jadwal pembagian', { want: 'slot' }],
  ['bisa pindah lokasi?', { want: 'slot' }],
  ['I need to reschedule', { want: 'slot' }],
  // Questions and plain requests: nothing to do yet.
  ['undangan saya', {}],
  ['kapan saya harus datang?', {}],
  ['jam berapa harus hadir', {}],
  ['when should I come?', {}],
  ['my distribution invitation', {}],
  ['saya hadir besok', {}],
  ['belum dapat undangan', {}],
];

describe('readInvitationRequest', () => {
  it.each(TABLE)('%s', (text, expected) => {
    expect(readInvitationRequest(text)).toEqual(expected);
  });
});
