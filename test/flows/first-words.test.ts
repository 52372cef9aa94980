import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../../src/db/schema/index.ts';
import { createI18n, type Translator } from '../../src/i18n.ts';
import { driver, flowHarness, type FlowHarness } from '../helpers/chat.ts';

// Issue 17, "language loop" and "the first request is swallowed": a language named anywhere is taken at once,
// the language question takes names and numbers, and a new chat's first words are acted on after the notice.
describe('the first words and the language', () => {
  let h: FlowHarness;
  let i18n: Translator;
  const id = (key: string) => i18n.t(key, { lng: 'id' });
  const en = (key: string) => i18n.t(key, { lng: 'en' });
  beforeAll(async () => {
    h = await flowHarness({ households: 20 });
    i18n = await createI18n('id');
  }, 120_000);
  afterAll(() => h.dispose());

  const languageOf = async (chatId: string) => (await h.database.db.select({ language: contacts.language }).from(contacts).where(eq(contacts.externalId, chatId)))[0]?.language;

  it.each(['English', 'english', 'inggris', 'bahasa inggris', '2'])('the language question takes %j and moves on in English', async (typed) => {
    const chat = driver(h.engine);
    await chat.say('halo');
    expect(chat.text).toContain(id('menu:chooseLanguage'));
    await chat.say(typed);
    expect(chat.text).toContain(en('menu:languageSet'));
    expect(chat.text).toContain(en('menu:prompt'));
    expect(chat.text).not.toContain(id('menu:chooseLanguage'));
    expect(await languageOf(chat.chatId)).toBe('en');
  });

  it.each(['indonesia', 'bahasa indonesia', 'Bahasa Indonesia', '1'])('the language question takes %j and moves on in Indonesian', async (typed) => {
    const chat = driver(h.engine);
    await chat.send({ kind: 'text', text: 'halo', languageHint: 'en' });
    await chat.say(typed);
    expect(chat.text).toContain(id('menu:languageSet'));
    expect(chat.text).toContain(id('menu:prompt'));
    expect(await languageOf(chat.chatId)).toBe('id');
  });

  it('a first message that asks for something gets the notice and then what it asked for', async () => {
    const chat = driver(h.engine);
    await chat.say('sy mau cek bansos dong');
    expect(chat.replies[0]!.text).toContain(id('chat:notice'));
    expect(chat.replies[0]!.text).toContain(id('menu:languageHint'));
    expect(chat.text).toContain(id('aid:nik.prompt'));
    expect(chat.text).not.toContain(id('menu:chooseLanguage'));
    // The notice was said: the chat has consented and is not welcomed again.
    const [c] = await h.database.db.select().from(contacts).where(eq(contacts.externalId, chat.chatId));
    expect(c!.consentAt).not.toBeNull();
  });

  it('a first message that names a language gets the notice in it and the menu', async () => {
    const chat = driver(h.engine);
    await chat.say('English');
    expect(chat.replies[0]!.text).toContain(en('chat:notice'));
    expect(chat.text).toContain(en('menu:prompt'));
    expect(await languageOf(chat.chatId)).toBe('en');
  });

  it('a greeting as the first message still gets the welcome and the language question', async () => {
    const chat = driver(h.engine);
    await chat.say('selamat pagi');
    expect(chat.text).toContain(id('chat:notice'));
    expect(chat.text).toContain(id('menu:chooseLanguage'));
  });

  it('"English" in the middle of the aid check switches and asks the same question again, in English', async () => {
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.choose('aid');
    expect(chat.text).toContain(id('aid:nik.prompt'));
    await chat.say('English');
    expect(chat.text).toContain(en('menu:languageSet'));
    expect(chat.text).toContain(en('aid:nik.prompt'));
    expect(chat.text).not.toContain(en('menu:chooseLanguage'));
    await chat.say('bahasa indonesia');
    expect(chat.text).toContain(id('aid:nik.prompt'));
  });

  it('BAHASA alone still asks which language; BERHENTI is never taken as an answer', async () => {
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.say('bahasa');
    expect(chat.text).toContain(id('menu:chooseLanguage'));
    await chat.say('english');
    expect(chat.text).toContain(en('menu:prompt'));
    await chat.say('berhenti');
    const [c] = await h.database.db.select().from(contacts).where(eq(contacts.externalId, chat.chatId));
    expect(c!.stoppedAt).not.toBeNull();
  });
});
