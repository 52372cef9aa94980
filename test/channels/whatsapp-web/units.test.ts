import { describe, expect, it } from 'vitest';
import { toInbound, whyIgnored } from '../../../src/channels/whatsapp-web/inbound.ts';
import { renderWhatsappWeb, splitText, whatsappWebTexts, withNumberedList, WHATSAPP_WEB_LIMITS } from '../../../src/channels/whatsapp-web/render.ts';
import { FakeMessage, type IncomingInit } from '../../fakes/wwebjs.ts';

const person = '6281234567890@c.us';

describe('whatsapp web inbound', () => {
  it('reads a text as text, with the provider id and the sender name', () => {
    const m = new FakeMessage({ from: person, body: 'cek bansos', notifyName: 'Sari' });
    expect(toInbound(m)).toEqual({
      channel: 'whatsapp_web',
      chatId: person,
      kind: 'text',
      text: 'cek bansos',
      providerMessageId: m.id._serialized,
      displayName: 'Sari',
    });
  });

  it('accepts LID chats, where WhatsApp hides the number', () => {
    expect(toInbound(new FakeMessage({ from: '123456789012345@lid', body: 'halo' }))?.chatId).toBe('123456789012345@lid');
  });

  it('maps each message type to an inbound kind', () => {
    const kind = (init: Omit<IncomingInit, 'from'>) => toInbound(new FakeMessage({ from: person, ...init }))?.kind;
    expect(kind({ type: 'ptt' })).toBe('voice');
    expect(kind({ type: 'audio' })).toBe('voice');
    expect(kind({ type: 'image' })).toBe('photo');
    expect(kind({ type: 'document' })).toBe('document');
    expect(kind({ type: 'location', location: { latitude: '1.1', longitude: '104.0' } })).toBe('location');
    expect(kind({ type: 'vcard', body: 'BEGIN:VCARD' })).toBe('contact');
    expect(kind({ type: 'multi_vcard' })).toBe('contact');
    expect(kind({ type: 'sticker' })).toBe('sticker');
    expect(kind({ type: 'video' })).toBe('other');
    expect(kind({ type: 'poll_creation' })).toBe('other');
  });

  it('keeps a photo caption as text and the media type, name and size', () => {
    const m = new FakeMessage({ from: person, type: 'image', body: 'rumah saya rusak', mimetype: 'image/jpeg', size: 120_000 });
    expect(toInbound(m)).toMatchObject({ kind: 'photo', text: 'rumah saya rusak', media: { mimeType: 'image/jpeg', size: 120_000, ref: m.id._serialized } });
    const doc = toInbound(new FakeMessage({ from: person, type: 'document', mimetype: 'application/pdf', filename: 'kk.pdf' }));
    expect(doc).toMatchObject({ kind: 'document', media: { mimeType: 'application/pdf', fileName: 'kk.pdf' } });
    expect(doc).not.toHaveProperty('text');
    // A voice note without a known type still says it is audio.
    expect(toInbound(new FakeMessage({ from: person, type: 'ptt' }))).toMatchObject({ kind: 'voice', media: { mimeType: 'audio/ogg' } });
  });

  it('reads coordinates as numbers', () => {
    const m = new FakeMessage({ from: person, type: 'location', location: { latitude: '1.1301', longitude: '104.0529' } });
    expect(toInbound(m)).toMatchObject({ kind: 'location', location: { latitude: 1.1301, longitude: 104.0529 } });
    expect(toInbound(new FakeMessage({ from: person, type: 'location', location: { latitude: 'x', longitude: '1' } }))?.kind).toBe('other');
  });

  it('leaves our own messages, status updates, groups, broadcasts, channels and system notices alone', () => {
    const cases: [IncomingInit, string][] = [
      [{ from: person, fromMe: true, body: 'from the office phone' }, 'from_me'],
      [{ from: 'status@broadcast', author: person, body: 'my status' }, 'status'],
      [{ from: person, isStatus: true }, 'status'],
      [{ from: '120363012345678901@g.us', author: person, body: 'cek bansos' }, 'group'],
      [{ from: '1234567890@broadcast', body: 'list' }, 'broadcast'],
      [{ from: '120363098765432109@newsletter', body: 'news' }, 'newsletter'],
      [{ from: person, type: 'e2e_notification' }, 'system'],
      [{ from: person, type: 'revoked' }, 'system'],
      [{ from: person, type: 'call_log' }, 'system'],
      [{ from: 'weird-id', body: 'x' }, 'unknown_chat'],
    ];
    for (const [init, reason] of cases) {
      const m = new FakeMessage(init);
      expect({ from: init.from, reason: whyIgnored(m) }).toEqual({ from: init.from, reason });
      expect(toInbound(m)).toBeUndefined();
    }
  });
});

describe('whatsapp web rendering', () => {
  const id = whatsappWebTexts('id');
  const en = whatsappWebTexts('en');
  const menu = [
    { id: 'aid', label: 'Cek bansos saya' },
    { id: 'invitations', label: 'Undangan penyaluran saya' },
    { id: 'complaint', label: 'Buat pengaduan' },
  ];

  it('puts options as a numbered list with how to answer, in the resident’s language', () => {
    expect(withNumberedList('Ada yang bisa kami bantu?', menu, id)).toBe(
      'Ada yang bisa kami bantu?\n\n1. Cek bansos saya\n2. Undangan penyaluran saya\n3. Buat pengaduan\n\nSilakan Bapak/Ibu balas dengan angka 1, 2 atau 3.',
    );
    expect(withNumberedList('Choose one:', menu.slice(0, 2), en)).toBe('Choose one:\n\n1. Cek bansos saya\n2. Undangan penyaluran saya\n\nPlease reply 1 or 2.');
    expect(en.instruction(1)).toBe('Please reply 1.');
    expect(id.instruction(7)).toBe('Silakan Bapak/Ibu balas dengan angka 1 sampai 7.');
    expect(en.instruction(7)).toBe('Please reply with a number from 1 to 7.');
  });

  it('leaves out an option that asks for the phone number: the sender\'s number already is that proof', () => {
    const proof = [
      { id: 'code', label: 'Kirim kode ke WhatsApp' },
      { id: 'share_phone', label: 'Bagikan nomor saya', requestPhone: true },
      { id: 'visit', label: 'Datang ke kantor' },
    ];
    expect(renderWhatsappWeb({ text: 'Bagaimana Bapak/Ibu membuktikannya?', options: proof }, id)).toEqual([
      { kind: 'text', body: 'Bagaimana Bapak/Ibu membuktikannya?\n\n1. Kirim kode ke WhatsApp\n2. Datang ke kantor\n\nSilakan Bapak/Ibu balas dengan angka 1 atau 2.' },
    ]);
    // Alone, it leaves the text bare rather than a list without numbers.
    expect(renderWhatsappWeb({ text: 'Bagikan nomor', options: [proof[1]!] }, id)).toEqual([{ kind: 'text', body: 'Bagikan nomor' }]);
  });

  it('falls back to the default language for a contact without a known one', () => {
    expect(whatsappWebTexts(null).instruction(2)).toBe(id.instruction(2));
    expect(whatsappWebTexts('fr', 'en').instruction(2)).toBe('Please reply 1 or 2.');
  });

  it('keeps a plain text as one message and a label on one line', () => {
    expect(renderWhatsappWeb({ text: '  Halo  ' }, id)).toEqual([{ kind: 'text', body: 'Halo' }]);
    expect(withNumberedList('Pilih', [{ id: 'a', label: 'Baris\nkedua' }], id)).toContain('1. Baris kedua');
  });

  it('sends an image with the text and its list as caption', () => {
    const parts = renderWhatsappWeb({ text: 'Undangan Bapak/Ibu', options: menu.slice(0, 2), image: { pngBase64: 'iVBORw0KGgo=', fileName: 'undangan.png' } }, id);
    expect(parts).toEqual([
      {
        kind: 'media',
        media: { mimetype: 'image/png', data: 'iVBORw0KGgo=', filename: 'undangan.png' },
        asDocument: false,
        caption: 'Undangan Bapak/Ibu\n\n1. Cek bansos saya\n2. Undangan penyaluran saya\n\nSilakan Bapak/Ibu balas dengan angka 1 atau 2.',
      },
    ]);
  });

  it('sends a long text after a bare attachment, and documents as documents', () => {
    const long = 'x'.repeat(WHATSAPP_WEB_LIMITS.caption + 1);
    const parts = renderWhatsappWeb({ text: long, document: { base64: 'JVBERi0=', mimeType: 'application/pdf', fileName: 'tanda-terima.pdf' } }, id);
    expect(parts).toEqual([
      { kind: 'media', media: { mimetype: 'application/pdf', data: 'JVBERi0=', filename: 'tanda-terima.pdf' }, asDocument: true },
      { kind: 'text', body: long },
    ]);
  });

  it('splits only texts beyond what WhatsApp takes, at a paragraph end', () => {
    const para = 'a'.repeat(40_000);
    expect(splitText(`${para}\n\n${para}`, WHATSAPP_WEB_LIMITS.text)).toEqual([para, para]);
  });
});
