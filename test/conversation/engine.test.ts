import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, SESSION_IDLE_MS, type Engine } from '../../src/conversation/engine.ts';
import type { FlowRegistry, Inbound } from '../../src/conversation/types.ts';
import { contacts, messages, outbox, sessions } from '../../src/db/schema/index.ts';
import { createI18n } from '../../src/i18n.ts';
import { createLogger } from '../../src/log.ts';
import type { Services } from '../../src/services/for-flows.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

// A tiny flow set of the engine's own, so these tests pin the engine and nothing of the real flows.
const flows: FlowRegistry = {
  welcome: {
    id: 'welcome',
    start: 'greet',
    steps: {
      greet: {
        prompt: () => [{ text: 'WELCOME', options: [{ id: 'id', label: 'Bahasa Indonesia' }, { id: 'en', label: 'English' }] }],
        handle: (ctx, a) => {
          if (a.choice === 'id' || a.choice === 'en') {
            ctx.chat.setLanguage(a.choice);
            return { end: true };
          }
          return { flow: 'menu', step: 'main', forward: true };
        },
      },
    },
  },
  language: {
    id: 'language',
    start: 'choose',
    steps: { choose: { prompt: () => [{ text: 'LANGUAGE?', options: [{ id: 'en', label: 'English' }] }], handle: () => ({ end: true }) } },
  },
  handover: {
    id: 'handover',
    start: 'start',
    steps: {
      start: {
        prompt: (ctx) => {
          ctx.chat.startHandover();
          return [{ text: 'OFFICER WILL ANSWER' }];
        },
        handle: () => ({ end: true }),
      },
    },
  },
  menu: {
    id: 'menu',
    start: 'main',
    steps: {
      main: {
        prompt: () => [{ text: 'MENU', options: [{ id: 'ask', label: 'Ask me' }, { id: 'boom', label: 'Explode' }, { id: 'photo', label: 'Photo' }] }],
        handle: (_ctx, a) => {
          if (a.choice === 'ask') return { flow: 'ask' };
          if (a.choice === 'boom') return { flow: 'boom' };
          if (a.choice === 'photo') return { flow: 'photo' };
          if (a.text.includes('tanya')) return { flow: 'ask' };
          return { say: [{ text: 'NOT UNDERSTOOD' }], retry: true };
        },
      },
    },
  },
  ask: {
    id: 'ask',
    start: 'name',
    steps: {
      name: {
        prompt: () => [{ text: 'NAME?' }],
        handle: (ctx, a) => {
          if (!a.text) return { say: [{ text: 'EMPTY' }], retry: true };
          ctx.data.name = a.text.slice(0, 20);
          return { goto: 'done' };
        },
      },
      done: { prompt: (ctx) => [{ text: `THANKS ${ctx.data.name as string}` }] },
    },
  },
  boom: {
    id: 'boom',
    start: 'x',
    steps: {
      x: {
        prompt: () => {
          throw new Error('step failure');
        },
      },
    },
  },
  photo: {
    id: 'photo',
    start: 'wait',
    steps: { wait: { accepts: ['photo'], prompt: () => [{ text: 'SEND PHOTO' }], handle: (_c, a) => ({ say: [{ text: `GOT ${a.kind}` }], end: true }) } },
  },
};

describe('conversation engine', () => {
  let database: TestDatabase;
  let engine: Engine;
  let now = new Date('2026-11-24T03:00:00Z');

  beforeAll(async () => {
    database = await createTestDatabase();
    engine = createEngine({
      database,
      flows,
      i18n: await createI18n('id'),
      logger: createLogger('silent'),
      defaultLocale: 'id',
      timeZone: 'Asia/Jakarta',
      bindServices: () => ({}) as Services, // these flows call no service
      clock: () => now,
    });
  });
  afterAll(() => database.dispose());

  let n = 0;
  const chat = () => `engine-${++n}-${Date.now()}`;
  const text = (chatId: string, t: string): Inbound => ({ channel: 'webchat', chatId, kind: 'text', text: t });
  const texts = async (i: Inbound) => (await engine.handle(i)).replies.map((r) => r.text);

  it('greets a first contact, then follows the chosen option', async () => {
    const c = chat();
    expect(await texts(text(c, 'halo'))).toEqual(['WELCOME']);
    expect(await texts({ channel: 'webchat', chatId: c, kind: 'choice', choice: 'en' })).toEqual(['MENU']);
    const [row] = await database.db.select().from(contacts).where(eq(contacts.externalId, c));
    expect(row!.language).toBe('en');
  });

  it('forwards free text typed on the welcome screen to the menu, and keeps flow data by name', async () => {
    const c = chat();
    expect(await texts(text(c, 'selamat pagi'))).toEqual(['WELCOME']);
    expect(await texts(text(c, 'saya mau tanya'))).toEqual(['NAME?']);
    expect(await texts(text(c, 'Siti'))).toEqual(['THANKS Siti', 'MENU']);
  });

  it('takes a number as the option at that position', async () => {
    const c = chat();
    await engine.handle(text(c, 'x'));
    expect(await texts(text(c, 'menu'))).toEqual(['MENU']);
    expect(await texts(text(c, '1'))).toEqual(['NAME?']);
  });

  it('answers global commands at any step, in both languages', async () => {
    const c = chat();
    await engine.handle(text(c, 'tanya'));
    expect(await texts(text(c, 'BATAL'))).toEqual(['Baik, dibatalkan.', 'MENU']);
    await engine.handle(text(c, 'tanya'));
    expect(await texts(text(c, 'Menu'))).toEqual(['MENU']);
    const help = await texts(text(c, 'bantuan'));
    expect(help[0]).toContain('MENU');
    expect(help[1]).toBe('MENU');
    expect(await texts(text(c, 'language'))).toEqual(['LANGUAGE?']);
  });

  it('refuses a stale button from an earlier step and asks again', async () => {
    const c = chat();
    await engine.handle(text(c, 'x'));
    await engine.handle(text(c, 'tanya'));
    const r = await texts({ channel: 'webchat', chatId: c, kind: 'choice', choice: 'boom' });
    expect(r).toEqual(['Pilihan itu dari pesan sebelumnya. Mohon pilih dari pilihan terbaru di bawah ini.', 'NAME?']);
  });

  it('asks for typing after a voice note, and for text after a photo where text is expected', async () => {
    const c = chat();
    await engine.handle(text(c, 'tanya'));
    expect((await texts({ channel: 'webchat', chatId: c, kind: 'voice' }))[0]).toMatch(/pesan suara/);
    expect((await texts({ channel: 'webchat', chatId: c, kind: 'photo', media: { mimeType: 'image/jpeg' } }))[0]).toMatch(/tulisan/);
    await engine.handle(text(c, 'menu'));
    await engine.handle(text(c, '3'));
    expect(await texts({ channel: 'webchat', chatId: c, kind: 'photo', media: { mimeType: 'image/jpeg' } })).toEqual(['GOT photo', 'MENU']);
  });

  it('expires an idle session after 30 minutes and starts cleanly with a note', async () => {
    const c = chat();
    await engine.handle(text(c, 'tanya'));
    now = new Date(now.getTime() + SESSION_IDLE_MS + 1000);
    const r = await texts(text(c, 'Budi'));
    expect(r[0]).toMatch(/30 menit/);
    expect(r.at(-1)).toBe('MENU');
    expect(r).not.toContain('THANKS Budi');
  });

  it('recovers from a failing step with an apology and the menu, keeping the message recorded', async () => {
    const c = chat();
    await engine.handle(text(c, 'x'));
    await engine.handle(text(c, 'menu'));
    const r = await texts(text(c, '2'));
    expect(r).toEqual(['Maaf, ada gangguan saat memproses pesan Bapak/Ibu. Mohon kirim lagi sebentar lagi.', 'MENU']);
    const [contact] = await database.db.select().from(contacts).where(eq(contacts.externalId, c));
    const logged = await database.db.select().from(messages).where(eq(messages.contactId, contact!.id));
    expect(logged.filter((m) => m.direction === 'in')).toHaveLength(3);
  });

  it('stays quiet while an officer has the chat, until the resident types menu', async () => {
    const c = chat();
    await engine.handle(text(c, 'x'));
    expect(await texts(text(c, 'petugas'))).toEqual(['OFFICER WILL ANSWER']);
    expect(await texts(text(c, 'halo, ada orang?'))).toEqual([]);
    expect(await texts(text(c, '1'))).toEqual([]);
    const back = await texts(text(c, 'menu'));
    expect(back.at(-1)).toBe('MENU');
    expect(await texts(text(c, '1'))).toEqual(['NAME?']);
  });

  it('queues replies in the outbox for channels that do not answer inline, and not for the web chat', async () => {
    const tg = `tg-${Date.now()}`;
    const r = await engine.handle({ channel: 'telegram', chatId: tg, kind: 'text', text: 'halo' });
    const [contact] = await database.db.select().from(contacts).where(eq(contacts.externalId, tg));
    const queued = await database.db.select().from(outbox).where(eq(outbox.contactId, contact!.id)).orderBy(outbox.id);
    expect(queued.map((q) => q.payload)).toEqual(r.replies);
    expect(queued.every((q) => q.status === 'pending' && q.priority === 0 && q.channel === 'telegram')).toBe(true);

    const web = chat();
    await engine.handle({ channel: 'webchat', chatId: web, kind: 'text', text: 'halo', replyInline: true });
    const [wc] = await database.db.select().from(contacts).where(eq(contacts.externalId, web));
    expect(await database.db.select().from(outbox).where(eq(outbox.contactId, wc!.id))).toEqual([]);
    expect((await database.db.select().from(messages).where(eq(messages.contactId, wc!.id))).map((m) => m.direction)).toEqual(['in', 'out']);
  });

  it('processes a redelivered provider message once', async () => {
    const c = chat();
    const first = await engine.handle({ ...text(c, 'halo'), providerMessageId: 'p-1' });
    const again = await engine.handle({ ...text(c, 'halo'), providerMessageId: 'p-1' });
    expect(first.replies).toHaveLength(1);
    expect(again).toEqual({ replies: [], duplicate: true });
  });

  it('runs two messages of one chat one after the other, never interleaved', async () => {
    const c = chat();
    await engine.handle(text(c, 'x'));
    await engine.handle(text(c, 'tanya'));
    const [a, b] = await Promise.all([engine.handle(text(c, 'Ani')), engine.handle(text(c, 'Badu'))]);
    const all = [...a.replies, ...b.replies].map((r) => r.text);
    // Exactly one of them answered the name question; the other reached the menu afterwards.
    expect(all.filter((t) => t.startsWith('THANKS'))).toHaveLength(1);
    const [contact] = await database.db.select().from(contacts).where(eq(contacts.externalId, c));
    const [s] = await database.db.select().from(sessions).where(eq(sessions.contactId, contact!.id));
    expect(s!.flow).toBe('menu');
  });

  it('answers empty, emoji-only, huge, HTML and SQL input without an error', async () => {
    const c = chat();
    await engine.handle(text(c, 'x'));
    for (const t of ['', '   ', '😀🙏', 'a'.repeat(5000), '<script>alert(1)</script>', "'; drop table contacts; --", '\u0000', 'a\u0000b', '\ud800 lone surrogate']) {
      const r = await engine.handle(text(c, t));
      expect(r.replies.length).toBeGreaterThan(0);
    }
    const [row] = await database.db.select().from(contacts).where(eq(contacts.externalId, c));
    expect(row).toBeDefined();
  });
});
