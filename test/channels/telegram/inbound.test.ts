import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import { telegramInbound } from '../../../src/channels/telegram/inbound.ts';
import { callbackUpdate, contactUpdate, messageUpdate, textUpdate } from '../../fakes/telegram.ts';
import { updateProblem } from '../../../src/channels/telegram/shape.ts';

const SITI = { id: 731_004_221, firstName: 'Siti', lastName: 'Aminah', languageCode: 'id' };

describe('Telegram updates as Inbound', () => {
  it('takes a text message in a private chat', () => {
    const u = textUpdate(SITI, 'cek bansos', { updateId: 10, messageId: 55 });
    expect(telegramInbound(u)).toEqual({
      channel: 'telegram',
      chatId: '731004221',
      kind: 'text',
      text: 'cek bansos',
      providerMessageId: 'm731004221:55',
      displayName: 'Siti',
      languageHint: 'id',
    });
  });

  it('gives a redelivered update the same provider id, and another message another', () => {
    const u = textUpdate(SITI, 'halo', { updateId: 11, messageId: 56 });
    expect(telegramInbound(structuredClone(u))!.providerMessageId).toBe(telegramInbound(u)!.providerMessageId);
    expect(telegramInbound(textUpdate(SITI, 'halo', { updateId: 12, messageId: 57 }))!.providerMessageId).not.toBe(telegramInbound(u)!.providerMessageId);
  });

  it('reads /start with a deep-link payload and /menu@bot as the bare commands', () => {
    expect(telegramInbound(textUpdate(SITI, '/start kampanye_2026'))!.text).toBe('/start');
    expect(telegramInbound(textUpdate(SITI, '/menu@PintuDinsosBot'))!.text).toBe('/menu');
    expect(telegramInbound(textUpdate(SITI, '/bantuan@PintuDinsosBot tolong'))!.text).toBe('/bantuan tolong');
    expect(telegramInbound(textUpdate(SITI, '12/03/1985'))!.text).toBe('12/03/1985');
  });

  it('takes a pressed button as a choice with the callback data', () => {
    const u = callbackUpdate(SITI, 'aid', { messageId: 1001, text: 'Menu', replyMarkup: { inline_keyboard: [[{ text: 'Cek bansos', callback_data: 'aid' }]] } }, { updateId: 13 });
    const inbound = telegramInbound(u)!;
    expect(inbound).toMatchObject({ channel: 'telegram', chatId: '731004221', kind: 'choice', choice: 'aid', displayName: 'Siti', languageHint: 'id' });
    expect(inbound.providerMessageId).toBe(`cq${u.callback_query!.id}`);
  });

  it('keeps the largest photo size and the caption', () => {
    const photo = [
      { file_id: 'AgACAgUAAxkBAAIBQ2small', file_unique_id: 'AQADs', width: 90, height: 120, file_size: 1200 },
      { file_id: 'AgACAgUAAxkBAAIBQ2large', file_unique_id: 'AQADl', width: 960, height: 1280, file_size: 154_000 },
    ];
    expect(telegramInbound(messageUpdate(SITI, { photo, caption: 'Atap rumah bocor' }))).toMatchObject({
      kind: 'photo',
      text: 'Atap rumah bocor',
      media: { mimeType: 'image/jpeg', size: 154_000, ref: 'AgACAgUAAxkBAAIBQ2large' },
    });
  });

  it('takes documents, locations, venues, contacts, voice, stickers and other media', () => {
    expect(
      telegramInbound(messageUpdate(SITI, { document: { file_id: 'BQACdoc', file_unique_id: 'AgADd', file_name: 'surat_kuasa.pdf', mime_type: 'application/pdf', file_size: 88_000 } })),
    ).toMatchObject({ kind: 'document', media: { mimeType: 'application/pdf', fileName: 'surat_kuasa.pdf', size: 88_000, ref: 'BQACdoc' } });
    expect(telegramInbound(messageUpdate(SITI, { location: { latitude: 1.1301, longitude: 104.0529 } }))).toMatchObject({
      kind: 'location',
      location: { latitude: 1.1301, longitude: 104.0529 },
    });
    expect(
      telegramInbound(messageUpdate(SITI, { venue: { location: { latitude: 1.12, longitude: 104.05 }, title: 'Kantor Camat Batam Kota', address: 'Jl. Engku Putri' } })),
    ).toMatchObject({ kind: 'location', location: { latitude: 1.12, longitude: 104.05 } });

    for (const media of [
      { voice: { file_id: 'v', file_unique_id: 'v', duration: 4, mime_type: 'audio/ogg' } },
      { audio: { file_id: 'a', file_unique_id: 'a', duration: 30 } },
      { video_note: { file_id: 'n', file_unique_id: 'n', length: 240, duration: 6 } },
    ]) {
      expect(telegramInbound(messageUpdate(SITI, media))!.kind).toBe('voice');
    }
    expect(
      telegramInbound(messageUpdate(SITI, { sticker: { file_id: 's', file_unique_id: 's', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' } }))!
        .kind,
    ).toBe('sticker');
    expect(telegramInbound(messageUpdate(SITI, { video: { file_id: 'x', file_unique_id: 'x', width: 1, height: 1, duration: 3 } }))!.kind).toBe('other');
    expect(telegramInbound(messageUpdate(SITI, { dice: { emoji: '🎲', value: 4 } }))!.kind).toBe('other');
  });

  describe('a shared contact', () => {
    it('is the sender\'s own number when the card is of the sender\'s own account (the share button)', () => {
      const u = contactUpdate(SITI, '6281234567890', SITI.id, { messageId: 77 });
      expect(updateProblem(u)).toBeUndefined();
      expect(telegramInbound(u)).toEqual({
        channel: 'telegram',
        chatId: '731004221',
        kind: 'contact',
        sharedContact: { phone: '6281234567890', own: true },
        providerMessageId: 'm731004221:77',
        displayName: 'Siti',
        languageHint: 'id',
      });
    });

    it('is not own when the card is of someone else, or typed by hand without an account', () => {
      const other = telegramInbound(contactUpdate(SITI, '+62 812-9999-0000', 731_009_999))!;
      expect(other).toMatchObject({ kind: 'contact', sharedContact: { phone: '+62 812-9999-0000', own: false } });
      expect(other).not.toHaveProperty('text');
      expect(telegramInbound(contactUpdate(SITI, '081299990000', undefined))!.sharedContact).toEqual({ phone: '081299990000', own: false });
    });

    it('is refused with a reason when it has no number', () => {
      const broken = messageUpdate(SITI, { contact: { first_name: 'Siti', user_id: SITI.id } });
      expect(updateProblem(broken)).toMatch(/^message\.contact\.phone_number: /);
    });
  });

  it('ignores what is not a person writing to the bot in a private chat', () => {
    const group = textUpdate(SITI, 'halo') as Update & { message: { chat: Record<string, unknown> } };
    group.message.chat = { id: -1001234567890, title: 'Warga RW 07', type: 'supergroup' };
    expect(telegramInbound(group)).toBeNull();

    const fromBot = textUpdate({ id: 999, firstName: 'OtherBot' }, 'halo') as Update & { message: { from: { is_bot: boolean } } };
    fromBot.message.from.is_bot = true;
    expect(telegramInbound(fromBot)).toBeNull();

    const edited = textUpdate(SITI, '2171105203850001') as Update;
    expect(telegramInbound({ update_id: 1, edited_message: { ...edited.message!, edit_date: 1 } } as unknown as Update)).toBeNull();
    expect(
      telegramInbound({ update_id: 2, channel_post: { message_id: 1, date: 1, chat: { id: -100200, type: 'channel', title: 'Info Dinsos' }, text: 'Pengumuman' } } as unknown as Update),
    ).toBeNull();
    expect(
      telegramInbound({
        update_id: 3,
        my_chat_member: {
          chat: { id: SITI.id, type: 'private', first_name: 'Siti' },
          from: { id: SITI.id, is_bot: false, first_name: 'Siti' },
          date: 1,
          old_chat_member: { status: 'member', user: { id: 1, is_bot: true, first_name: 'Pintu' } },
          new_chat_member: { status: 'kicked', until_date: 0, user: { id: 1, is_bot: true, first_name: 'Pintu' } },
        },
      } as unknown as Update),
    ).toBeNull();
    // Service messages in a private chat (a pin, the auto-delete timer) say nothing to answer.
    expect(telegramInbound(messageUpdate(SITI, { message_auto_delete_timer_changed: { message_auto_delete_time: 86400 } }))).toBeNull();
    expect(telegramInbound(messageUpdate(SITI, { pinned_message: { message_id: 3, date: 0, chat: { id: SITI.id, type: 'private' } } }))).toBeNull();
    // A button on an inline message (none of ours) or a game button carries no chat or no data.
    expect(telegramInbound(callbackUpdate(SITI, 'aid', undefined))).toBeNull();
    const noData = callbackUpdate(SITI, 'x', { messageId: 5, text: 'Menu', replyMarkup: undefined }) as Update & { callback_query: { data?: string } };
    delete noData.callback_query.data;
    expect(telegramInbound(noData)).toBeNull();
  });
});
