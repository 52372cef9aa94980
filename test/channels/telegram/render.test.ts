import { describe, expect, it } from 'vitest';
import { telegramInbound } from '../../../src/channels/telegram/inbound.ts';
import { callbackData, HASHED_PREFIX, inlineKeyboard, REMOVE_KEYBOARD, renderTelegram, splitText, TELEGRAM_LIMITS } from '../../../src/channels/telegram/render.ts';
import { callbackUpdate } from '../../fakes/telegram.ts';

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex').toString('base64');
const options = [
  { id: 'aid', label: 'Cek bansos' },
  { id: 'complaint', label: 'Pengaduan' },
  { id: 'cmd:menu', label: 'Menu utama' },
];

describe('Telegram rendering', () => {
  it('shows options as an inline keyboard, one button per row, ids as callback data', () => {
    const calls = renderTelegram({ text: 'Pilih layanan:', options });
    expect(calls).toEqual([
      {
        method: 'sendMessage',
        text: 'Pilih layanan:',
        reply_markup: {
          inline_keyboard: [[{ text: 'Cek bansos', callback_data: 'aid' }], [{ text: 'Pengaduan', callback_data: 'complaint' }], [{ text: 'Menu utama', callback_data: 'cmd:menu' }]],
        },
      },
    ]);
  });

  it('sends plain text with no buttons, taking away any reply keyboard still on screen', () => {
    expect(renderTelegram({ text: 'Terima kasih.' })).toEqual([{ method: 'sendMessage', text: 'Terima kasih.', reply_markup: { remove_keyboard: true } }]);
  });

  describe('asking for the resident\'s own phone number', () => {
    const proof = [
      { id: 'code', label: 'Kirim kode ke nomor terdaftar' },
      { id: 'share_phone', label: 'Bagikan nomor saya', requestPhone: true },
      { id: 'cmd:menu', label: 'Menu utama' },
    ];

    it('shows a one-time reply keyboard: a request_contact button, the other options as text buttons', () => {
      expect(renderTelegram({ text: 'Buktikan bahwa nomor ini milik Anda.', options: proof })).toEqual([
        {
          method: 'sendMessage',
          text: 'Buktikan bahwa nomor ini milik Anda.',
          reply_markup: {
            keyboard: [[{ text: 'Kirim kode ke nomor terdaftar' }], [{ text: 'Bagikan nomor saya', request_contact: true }], [{ text: 'Menu utama' }]],
            one_time_keyboard: true,
            resize_keyboard: true,
          },
        },
      ]);
    });

    it('puts the reply keyboard on the last part of a long text and removes nothing there', () => {
      const text = Array.from({ length: 3 }, (_, i) => `${i + 1}. ${'Syarat bantuan. '.repeat(200).trim()}`).join('\n\n');
      const calls = renderTelegram({ text, options: proof });
      expect(calls.length).toBeGreaterThan(1);
      expect(calls.slice(0, -1).every((c) => c.reply_markup === REMOVE_KEYBOARD)).toBe(true);
      expect(calls.at(-1)!.reply_markup).toMatchObject({ keyboard: expect.any(Array), one_time_keyboard: true });
    });

    it('keeps inline buttons for every message that does not ask for the number', () => {
      const calls = renderTelegram({ text: 'Pilih', options: proof.filter((o) => !o.requestPhone) });
      expect(calls[0]!.reply_markup).toHaveProperty('inline_keyboard');
      expect(calls[0]!.reply_markup).not.toHaveProperty('remove_keyboard');
    });
  });

  it('shortens labels over 64 characters', () => {
    const label = 'Undangan penyaluran Program Keluarga Harapan tahap IV di Kantor Camat Batam Kota, Senin';
    const [button] = inlineKeyboard([{ id: 'inv:7', label }]).inline_keyboard[0]!;
    expect([...button!.text].length).toBe(TELEGRAM_LIMITS.buttonLabel);
    expect(button!.text.endsWith('…')).toBe(true);
    expect(label.startsWith(button!.text.slice(0, -1))).toBe(true);
  });

  it('keeps short ids as they are and hashes ids over 64 bytes, which a press turns back into the label', () => {
    expect(callbackData('slot:123')).toBe('slot:123');
    const long = `field:${'keterangan_tambahan_'.repeat(4)}`;
    const data = callbackData(long);
    expect(data.startsWith(HASHED_PREFIX)).toBe(true);
    expect(Buffer.byteLength(data)).toBeLessThanOrEqual(64);
    expect(callbackData(long)).toBe(data); // stable across renders and processes
    // Non-ASCII: 64 characters can be more than 64 bytes.
    expect(Buffer.byteLength(callbackData('é'.repeat(40)))).toBeLessThanOrEqual(64);

    const keyboard = inlineKeyboard([{ id: long, label: 'Keterangan tambahan' }, { id: 'cmd:menu', label: 'Menu utama' }]);
    const person = { id: 5550001, firstName: 'Rina' };
    const inbound = telegramInbound(callbackUpdate(person, data, { messageId: 9, text: 'Ubah apa?', replyMarkup: keyboard }, { updateId: 1 }));
    expect(inbound).toMatchObject({ kind: 'text', text: 'Keterangan tambahan', chatId: '5550001' });
    // An ordinary button stays a choice.
    expect(telegramInbound(callbackUpdate(person, 'cmd:menu', { messageId: 9, text: 'Ubah apa?', replyMarkup: keyboard }, { updateId: 2 }))).toMatchObject({
      kind: 'choice',
      choice: 'cmd:menu',
    });
  });

  it('splits text over 4,096 characters at paragraph ends, keyboard on the last part', () => {
    const paragraph = 'Syarat pengambilan bantuan: bawa KTP asli dan Kartu Keluarga, datang sesuai jadwal. '.repeat(10).trim();
    const text = Array.from({ length: 12 }, (_, i) => `${i + 1}. ${paragraph}`).join('\n\n');
    expect(text.length).toBeGreaterThan(8192);
    const calls = renderTelegram({ text, options: options.slice(2) });
    expect(calls.length).toBeGreaterThanOrEqual(3);
    for (const c of calls) {
      expect(c.method).toBe('sendMessage');
      if (c.method === 'sendMessage') expect(c.text.length).toBeLessThanOrEqual(4096);
    }
    expect(calls.slice(0, -1).every((c) => c.reply_markup === REMOVE_KEYBOARD)).toBe(true);
    expect(calls.at(-1)!.reply_markup).toEqual({ inline_keyboard: [[{ text: 'Menu utama', callback_data: 'cmd:menu' }]] });
    // Nothing lost, nothing cut mid-paragraph.
    const texts = calls.map((c) => (c.method === 'sendMessage' ? c.text : ''));
    expect(texts.join('\n\n')).toBe(text);
    for (const t of texts) expect(t).toMatch(/^\d+\. Syarat/);
  });

  it('splits a 5,000-character message without breaks or spaces, never inside an emoji', () => {
    const text = '🙏'.repeat(2500); // 5,000 UTF-16 code units
    const parts = splitText(text);
    expect(parts.length).toBe(2);
    expect(parts.join('')).toBe(text);
    for (const p of parts) {
      expect(p.length).toBeLessThanOrEqual(4096);
      expect(p.toWellFormed()).toBe(p);
    }
  });

  it('sends an image with the text as caption, and the keyboard on it', () => {
    const calls = renderTelegram({ text: 'Tunjukkan kode QR ini di lokasi.', options: options.slice(2), image: { pngBase64: PNG, fileName: 'undangan.png' } });
    expect(calls).toHaveLength(1);
    const [photo] = calls;
    expect(photo).toMatchObject({ method: 'sendPhoto', caption: 'Tunjukkan kode QR ini di lokasi.', reply_markup: { inline_keyboard: [[{ callback_data: 'cmd:menu' }]] } });
    if (photo!.method !== 'sendPhoto') throw new Error('expected a photo');
    expect(photo!.file.fileName).toBe('undangan.png');
    expect(Buffer.from(photo!.file.data).toString('base64')).toBe(PNG);
  });

  it('sends a caption over 1,024 characters as a message of its own after the image', () => {
    const text = 'Undangan penyaluran bantuan. '.repeat(50).trim();
    expect(text.length).toBeGreaterThan(1024);
    const calls = renderTelegram({ text, options: options.slice(0, 1), image: { pngBase64: PNG } });
    expect(calls.map((c) => c.method)).toEqual(['sendPhoto', 'sendMessage']);
    expect(calls[0]).not.toHaveProperty('caption');
    expect(calls[0]!.reply_markup).toEqual({ remove_keyboard: true });
    expect(calls[1]).toMatchObject({ text, reply_markup: { inline_keyboard: [[{ callback_data: 'aid' }]] } });
  });

  it('sends a document with its caption', () => {
    const calls = renderTelegram({ text: 'Bukti penerimaan bantuan', document: { base64: PNG, mimeType: 'application/pdf', fileName: 'bukti terima "PKH".pdf' } });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ method: 'sendDocument', caption: 'Bukti penerimaan bantuan' });
    if (calls[0]!.method !== 'sendDocument') throw new Error('expected a document');
    expect(calls[0]!.file.fileName).toBe('bukti_terima_PKH_.pdf');
  });
});
