import { describe, expect, it } from 'vitest';
import { parseWebhook } from '../../../src/channels/whatsapp-cloud/inbound.ts';
import { renderMessage, renderTemplate, splitText, type GraphMessage, type RenderTexts } from '../../../src/channels/whatsapp-cloud/render.ts';
import { signBody, verifySignature } from '../../../src/channels/whatsapp-cloud/signature.ts';
import { createI18n } from '../../../src/i18n.ts';
import { envelope, webhook } from '../../fakes/graph.ts';

const SECRET = 'app-secret-for-tests';
const WA = '6281234567890';

describe('X-Hub-Signature-256', () => {
  const body = JSON.stringify(webhook.text(WA, 'halo'));

  it('accepts the HMAC of the exact bytes and nothing else', () => {
    const sig = signBody(body, SECRET);
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(verifySignature(new TextEncoder().encode(body), sig, SECRET)).toBe(true);
    expect(verifySignature(body, sig.toUpperCase().replace('SHA256', 'sha256'), SECRET)).toBe(true);
    expect(verifySignature(`${body} `, sig, SECRET)).toBe(false);
    expect(verifySignature(body, sig, 'another-secret')).toBe(false);
    expect(verifySignature(body, undefined, SECRET)).toBe(false);
    expect(verifySignature(body, '', SECRET)).toBe(false);
    expect(verifySignature(body, sig.slice(0, -2), SECRET)).toBe(false);
    expect(verifySignature(body, sig.replace('sha256=', 'sha1='), SECRET)).toBe(false);
  });
});

describe('webhook parsing', () => {
  it('reads a text message with the sender name', () => {
    const p = parseWebhook(webhook.text(WA, 'cek bansos', { name: 'Siti', id: 'wamid.ABC' }));
    expect(p).toMatchObject({ ok: true, statuses: [] });
    if (!p.ok) return;
    expect(p.inbound).toEqual([{ channel: 'whatsapp_cloud', chatId: WA, providerMessageId: 'wamid.ABC', displayName: 'Siti', kind: 'text', text: 'cek bansos' }]);
  });

  it('reads button and list replies as choices of the option id', () => {
    const b = parseWebhook(webhook.buttonReply(WA, 'aid', 'Cek bansos'));
    const l = parseWebhook(webhook.listReply(WA, 'cmd:menu', 'Menu'));
    expect(b.ok && b.inbound[0]).toMatchObject({ kind: 'choice', choice: 'aid', text: 'Cek bansos' });
    expect(l.ok && l.inbound[0]).toMatchObject({ kind: 'choice', choice: 'cmd:menu' });
  });

  it('reads media, location, voice, stickers and unknown types', () => {
    const kinds = [webhook.image(WA, { caption: 'rumah saya' }), webhook.location(WA, 1.13, 104.05), webhook.voice(WA), webhook.sticker(WA)].map((w) => {
      const p = parseWebhook(w);
      return p.ok ? p.inbound[0] : undefined;
    });
    expect(kinds[0]).toMatchObject({ kind: 'photo', text: 'rumah saya', media: { mimeType: 'image/jpeg', ref: '1479537139650973' } });
    expect(kinds[1]).toMatchObject({ kind: 'location', location: { latitude: 1.13, longitude: 104.05 } });
    expect(kinds[2]).toMatchObject({ kind: 'voice', media: { ref: '2479537139650973' } });
    expect(kinds[3]).toMatchObject({ kind: 'sticker' });
    const other = (type: string, extra: Record<string, unknown> = {}) =>
      parseWebhook(envelope({ messages: [{ from: WA, id: `wamid.${type}`, timestamp: '1', type, ...extra }] }));
    expect(other('document', { document: { id: '9', mime_type: 'application/pdf', filename: 'kk.pdf' } })).toMatchObject({
      ok: true,
      inbound: [{ kind: 'document', media: { mimeType: 'application/pdf', fileName: 'kk.pdf', ref: '9' } }],
    });
    expect(other('contacts', { contacts: [{ name: { formatted_name: 'X' } }] })).toMatchObject({ ok: true, inbound: [{ kind: 'contact' }] });
    expect(other('unsupported', { errors: [{ code: 131051, title: 'Message type unknown' }] })).toMatchObject({ ok: true, inbound: [{ kind: 'other' }] });
    expect(other('reaction', { reaction: { message_id: 'wamid.x', emoji: '👍' } })).toMatchObject({ ok: true, inbound: [], ignored: 1 });
  });

  it('reads status updates with their errors', () => {
    const p = parseWebhook(webhook.status('wamid.OUT', 'failed', WA, { errors: [{ code: 131026, title: 'Message undeliverable' }], timestamp: 1_750_000_000 }));
    expect(p).toEqual({
      ok: true,
      inbound: [],
      errors: [],
      ignored: 0,
      statuses: [{ providerMessageId: 'wamid.OUT', status: 'failed', recipientId: WA, at: new Date(1_750_000_000_000), errors: [{ code: 131026, title: 'Message undeliverable', details: 'Message undeliverable' }] }],
    });
  });

  it('skips changes for another phone number and other fields', () => {
    const p = parseWebhook(webhook.text(WA, 'halo', { phoneNumberId: '999' }), { phoneNumberId: '106540352242922' });
    expect(p).toMatchObject({ ok: true, inbound: [], ignored: 1 });
    const q = parseWebhook({ object: 'whatsapp_business_account', entry: [{ id: '1', changes: [{ field: 'message_template_status_update', value: { event: 'APPROVED' } }] }] });
    expect(q).toMatchObject({ ok: true, inbound: [], ignored: 1 });
  });

  it('names what is wrong with a malformed body', () => {
    expect(parseWebhook({ hello: 'world' })).toMatchObject({ ok: false, reason: expect.stringContaining('object') });
    expect(parseWebhook([])).toMatchObject({ ok: false });
    const broken = envelope({ messages: [{ id: 'wamid.1', type: 'text', text: { body: 'x' } }] });
    const p = parseWebhook(broken);
    expect(p).toMatchObject({ ok: false });
    if (!p.ok) expect(p.reason).toMatch(/^entry\[0\]\.changes\[0\]\.value\.messages\[0\]\.from: /);
  });
});

describe('rendering', () => {
  let texts: RenderTexts;
  const textsIn = async (lang: 'id' | 'en') => {
    const t = (await createI18n('id')).getFixedT(lang, 'whatsapp');
    return { listButton: t('list.button'), replyWithNumber: (count: number) => t('numbered.reply', { count }), tapNumber: (count: number) => t('numbered.tap', { count }) };
  };
  const opts = (n: number, label = (i: number) => `Pilihan ${i}`) => Array.from({ length: n }, (_, i) => ({ id: `o${i + 1}`, label: label(i + 1) }));
  const only = (m: GraphMessage[]) => m.map((x) => x.type);

  it('gives up to three options as reply buttons', async () => {
    texts = await textsIn('id');
    const parts = renderMessage({ text: 'Pilih bahasa', options: [{ id: 'id', label: 'Bahasa Indonesia' }, { id: 'en', label: 'English' }] }, texts);
    expect(parts).toEqual([
      {
        message: {
          type: 'interactive',
          interactive: {
            type: 'button',
            body: { text: 'Pilih bahasa' },
            action: { buttons: [{ type: 'reply', reply: { id: 'id', title: 'Bahasa Indonesia' } }, { type: 'reply', reply: { id: 'en', title: 'English' } }] },
          },
        },
      },
    ]);
  });

  it('numbers long button labels in the text and puts the numbers on the buttons', async () => {
    texts = await textsIn('id');
    const [part] = renderMessage({ text: 'Apa yang ingin dilaporkan?', options: opts(3, (i) => `Laporan nomor ${i} yang cukup panjang`) }, texts);
    const i = (part!.message as Extract<GraphMessage, { type: 'interactive' }>).interactive;
    expect(i.type).toBe('button');
    expect(i.body.text).toContain('1. Laporan nomor 1 yang cukup panjang\n2. ');
    expect(i.body.text).toContain('Bapak/Ibu');
    expect(i.type === 'button' && i.action.buttons.map((b) => [b.reply.id, b.reply.title])).toEqual([
      ['o1', '1'],
      ['o2', '2'],
      ['o3', '3'],
    ]);
  });

  it('gives four to ten options as a list, with long labels split into title and description', async () => {
    texts = await textsIn('en');
    const labels = ['Cek bansos', 'Undangan penyaluran saya', 'Pengaduan data tidak sesuai dengan keadaan sebenarnya di lapangan', 'Bicara dengan petugas'];
    const [part] = renderMessage({ text: 'Menu', options: labels.map((label, i) => ({ id: `m${i}`, label })) }, texts);
    const i = (part!.message as Extract<GraphMessage, { type: 'interactive' }>).interactive;
    expect(i.type).toBe('list');
    if (i.type !== 'list') return;
    expect(i.action.button).toBe('See options');
    const rows = i.action.sections[0]!.rows;
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      expect(r.title.length).toBeLessThanOrEqual(24);
      expect((r.description ?? '').length).toBeLessThanOrEqual(72);
    }
    expect(rows[2]!.title).toBe('Pengaduan data tidak');
    expect(rows[2]!.description).toBe('sesuai dengan keadaan sebenarnya di lapangan');
    expect(rows[1]).toEqual({ id: 'm1', title: 'Undangan penyaluran saya' });
  });

  it('gives more than ten options as a numbered list with the instruction in the resident’s language', async () => {
    const id = renderMessage({ text: 'Pilih kelurahan', options: opts(12) }, await textsIn('id'));
    const en = renderMessage({ text: 'Choose', options: opts(12) }, await textsIn('en'));
    expect(only(id.map((p) => p.message))).toEqual(['text']);
    const body = (id[0]!.message as Extract<GraphMessage, { type: 'text' }>).text.body;
    expect(body).toContain('1. Pilihan 1\n');
    expect(body).toContain('12. Pilihan 12');
    expect(body).toContain('Silakan Bapak/Ibu balas dengan angka pilihan, 1 sampai 12.');
    expect((en[0]!.message as Extract<GraphMessage, { type: 'text' }>).text.body).toContain('Please reply with the number of your choice, 1 to 12.');
  });

  it('splits text longer than 4,096 characters at paragraph breaks', async () => {
    const para = 'Kalimat yang cukup panjang untuk diulang. '.repeat(40).trim();
    const text = Array.from({ length: 6 }, () => para).join('\n\n');
    const parts = renderMessage({ text }, await textsIn('id'));
    expect(parts.length).toBeGreaterThan(1);
    for (const p of parts) expect((p.message as Extract<GraphMessage, { type: 'text' }>).text.body.length).toBeLessThanOrEqual(4096);
    expect(parts.map((p) => (p.message as Extract<GraphMessage, { type: 'text' }>).text.body).join('\n\n')).toBe(text);
    // With buttons, the interactive body (at most 1,024) carries the end of the text.
    const withOptions = renderMessage({ text, options: opts(2) }, await textsIn('id'));
    const last = withOptions.at(-1)!.message as Extract<GraphMessage, { type: 'interactive' }>;
    expect(last.type).toBe('interactive');
    expect(last.interactive.body.text.length).toBeLessThanOrEqual(1024);
    expect(splitText('a'.repeat(5000), 4096).map((s) => s.length)).toEqual([4096, 904]);
  });

  it('sends an image first, with the text as caption when it fits', async () => {
    texts = await textsIn('id');
    const short = renderMessage({ text: 'Kode undangan Anda', image: { pngBase64: 'iVBORw0KGgo=' } }, texts);
    expect(short).toEqual([
      { message: { type: 'image', image: { id: '', caption: 'Kode undangan Anda' } }, upload: { base64: 'iVBORw0KGgo=', mimeType: 'image/png', fileName: 'image.png' } },
    ]);
    const withOptions = renderMessage({ text: 'Undangan', image: { pngBase64: 'iVBORw0KGgo=', fileName: 'qr.png' }, options: opts(2) }, texts);
    expect(withOptions.map((p) => p.message.type)).toEqual(['image', 'interactive']);
    expect(withOptions[0]!.message).toEqual({ type: 'image', image: { id: '' } });
    const doc = renderMessage({ text: 'Tanda terima', document: { base64: 'JVBERi0=', mimeType: 'application/pdf', fileName: 'tanda-terima.pdf' } }, texts);
    expect(doc[0]).toMatchObject({ message: { type: 'document', document: { filename: 'tanda-terima.pdf', caption: 'Tanda terima' } }, upload: { mimeType: 'application/pdf' } });
  });

  it('leaves out an option that asks for the phone number: the sender\'s number already is that proof', async () => {
    texts = await textsIn('id');
    const options = [
      { id: 'code', label: 'Kirim kode' },
      { id: 'share_phone', label: 'Bagikan nomor saya', requestPhone: true },
      { id: 'visit', label: 'Datang ke kantor' },
    ];
    const [part] = renderMessage({ text: 'Bagaimana Bapak/Ibu membuktikannya?', options }, texts);
    const i = (part!.message as Extract<GraphMessage, { type: 'interactive' }>).interactive;
    expect(i.type === 'button' && i.action.buttons.map((b) => b.reply.id)).toEqual(['code', 'visit']);
    // The only option being that one, the message is plain text.
    expect(only(renderMessage({ text: 'Bagikan nomor', options: [options[1]!] }, texts).map((p) => p.message))).toEqual(['text']);
  });

  it('flattens template parameters as Meta requires', () => {
    expect(renderTemplate('pintu_undangan', 'id', ['Sabtu,\n12 Juli', 'Kantor   Lurah'])).toEqual({
      type: 'template',
      template: {
        name: 'pintu_undangan',
        language: { code: 'id' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Sabtu, 12 Juli' }, { type: 'text', text: 'Kantor Lurah' }] }],
      },
    });
  });
});
