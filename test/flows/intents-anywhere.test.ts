import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts } from '../../src/db/schema/index.ts';
import { createI18n, type Translator } from '../../src/i18n.ts';
import { driver, flowHarness, type FlowHarness } from '../helpers/chat.ts';

// Issue 17, "free text is read only at the main menu": a question typed where a step asked for something else
// is answered and the step asked again; a request for another service goes there; greetings and thanks are
// answered politely; the wrong matches the issue measured are gone.
describe('questions and requests typed anywhere', () => {
  let h: FlowHarness;
  let i18n: Translator;
  const id = (key: string, vars?: Record<string, unknown>) => i18n.t(key, { lng: 'id', ...vars });
  beforeAll(async () => {
    h = await flowHarness({ households: 20 });
    i18n = await createI18n('id');
  }, 120_000);
  afterAll(() => h.dispose());

  async function atNikPrompt() {
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.choose('aid');
    expect(chat.text).toContain(id('aid:nik.prompt'));
    return chat;
  }

  it('at the NIK prompt answers "syarat PKH apa?" from the program record and asks for the NIK again', async () => {
    const chat = await atNikPrompt();
    await chat.say('syarat PKH apa?');
    expect(chat.replies[0]!.text).toContain('Program Keluarga Harapan');
    expect(chat.replies[0]!.text).toContain('desil 1–');
    expect(chat.text).not.toContain('Program Sembako'); // only the program asked about
    // The office's own words under the facts (issue 20: requirements kept on the program's page).
    expect(chat.replies[0]!.text).toContain('Bawa KTP dan KK ke pendamping PKH di kelurahan.');
    expect(chat.text).toContain(id('aid:nik.prompt'));
    expect(chat.text).not.toContain(id('chat:notUnderstood'));
    // Still at the NIK step: a NIK now goes on to the next question.
    await chat.say('2171104512850001');
    expect(chat.text).not.toContain(id('aid:nik.prompt'));
  });

  it('at the NIK prompt explains desil and the amount of PKH, each time returning to the NIK', async () => {
    const chat = await atNikPrompt();
    await chat.say('apa itu desil');
    expect(chat.replies[0]!.text).toBe(id('faq:answers.dtsen'));
    expect(chat.text).toContain(id('aid:nik.prompt'));
    await chat.say('berapa besar bantuan PKH');
    expect(chat.replies[0]!.text).toMatch(/Program Keluarga Harapan: paling banyak Rp[\d.]+/);
    expect(chat.replies[0]!.text).toContain('Disalurkan per triwulan'); // and when it is paid
    expect(chat.text).toContain(id('aid:nik.prompt'));
  });

  it('at the NIK prompt takes a report about a neighbour to the complaint flow, not as a NIK', async () => {
    const chat = await atNikPrompt();
    await chat.say('mau lapor tetangga dapat bansos padahal mampu');
    expect(chat.text).not.toContain(id('aid:nik.prompt'));
    expect(chat.text).not.toContain(id('aid:nik.notDigits'));
    // Its kind read from the words: a sanggahan, without the list of kinds.
    expect(chat.text).toContain(id('complaint:intro.sanggahan'));
    expect(chat.options).not.toContain('usulan');
  });

  it.each([
    ['gmn cara daftar', 'faq:answers.proposal'],
    ['ktp sy hilang', 'faq:answers.lostDocument'],
    ['assalamualaikum', 'menu:replies.salam'],
    ['terima kasih', 'menu:replies.thanks'],
    ['makasih', 'menu:replies.thanks'],
    ['ok', 'menu:replies.thanks'],
  ])('at the menu answers %j and shows the menu again', async (typed, key) => {
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.say(typed);
    expect(chat.replies[0]!.text).toBe(id(key));
    expect(chat.text).toContain(id('menu:prompt'));
    expect(chat.text).not.toContain(id('chat:notUnderstood'));
  });

  it.each(['p', 'pagi pak', 'selamat siang bu'])('returns the greeting %j', async (typed) => {
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.say(typed);
    expect(chat.replies[0]!.text).toMatch(/^Selamat (pagi|siang|sore|malam), Bapak\/Ibu\.$/);
  });

  it('answers the office hours in the resident\'s language, from the office\'s schedule', async () => {
    const chat = driver(h.engine);
    await chat.start('en');
    await chat.say('what are the office opening hours?');
    expect(chat.replies[0]!.text).toContain('Monday–Thursday 08:00–16:00, Friday 08:00–16:30 WIB');
    expect(chat.replies[0]!.text).not.toContain('Phone: -');
  });

  it('takes "sy lapar blm makan" to a person at once, not to the complaint list', async () => {
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.say('sy lapar blm makan');
    expect(chat.replies[0]!.text).toBe(id('menu:replies.urgent'));
    const [c] = await h.database.db.select().from(contacts).where(eq(contacts.externalId, chat.chatId));
    expect(c!.handoverAt).not.toBeNull();
  });

  it('does not read "then what?" as a wish for invitations', async () => {
    const chat = driver(h.engine);
    await chat.start('en');
    await chat.say('then what?');
    expect(chat.text).toContain(i18n.t('chat:notUnderstood', { lng: 'en' }));
  });

  it('answers a first message written in English in English', async () => {
    const chat = driver(h.engine);
    await chat.say('I want to check my aid');
    expect(chat.replies[0]!.text).toContain(i18n.t('chat:notice', { lng: 'en' }));
    expect(chat.text).toContain(i18n.t('aid:nik.prompt', { lng: 'en' }));
  });
});
