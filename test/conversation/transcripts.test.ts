import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { complaints, contacts, invitations, members, proxies } from '../../src/db/schema/index.ts';
import { formatInvitationCode } from '../../src/domain/invitation-code.ts';
import { createI18n } from '../../src/i18n.ts';
import { BATAM } from '../../src/services/seed/batam.ts';
import { localDate, localInstant, nextWorkingDay } from '../../src/services/seed/calendar.ts';
import { demoKkOf, driver, flowHarness, type FlowHarness } from '../helpers/chat.ts';
import { programName } from '../helpers/program-names.ts';
import { measure, Recorder, render, stable, type Figure, type Figures, type Lang, type Turn } from './transcripts-driver.ts';

// Readable transcripts of the ten things residents come to Pintu for, in Bahasa Indonesia and English, each
// from the first words of a fresh chat to the task done, with the real engine, flows, wording and a seeded demo
// city. The transcripts are file snapshots (test/transcripts/<lang>/<nn>-<task>.txt): a change of wording or
// of the conversation's path shows up as a readable diff for review. Then the figures the issue sets targets
// for, measured over the same conversations: how many messages the resident sends, how long the bubbles and
// replies are, and whether the bot ever says it did not understand. Targets that do not hold yet are listed in
// KNOWN_MISSES, and the last test keeps that table exact.

const SITI = { nik: '2171105203850001', birth: '12-03-1985' };
/** Siti's husband, named as her kuasa. */
const RAHMAT = { name: 'Rahmat Hidayat', nik: '2171100306820001' };

const LANGS: Lang[] = ['id', 'en'];

// ---- how each task is driven ---------------------------------------------------------------------------

interface Task {
  nn: string;
  name: string;
  /** The languages it is recorded in (a variant may be one language's only). */
  langs: readonly Lang[];
  /** The most resident messages the task may take (the targets). */
  maxMessages: number;
  /** What the resident types first, in each language. */
  first: Record<Lang, string>;
  /** How the English-speaking resident gets English: by writing in English (default), or "English" first of all. */
  english?: 'asWritten' | 'first';
  /** The time of day the conversation happens, on a working day (default 10:00, in office hours). */
  at?: string;
  /** Set-up outside the recorded chat; what it returns is handed to `run` (`chatId`: the chat to record in). */
  before?(h: FlowHarness, lang: Lang): Promise<Record<string, string>>;
  /** The rest of the conversation, after the first words; checks the task got done. */
  run(r: Recorder, lang: Lang, h: FlowHarness, vars: Record<string, string>): Promise<void>;
}

async function languageOf(h: FlowHarness, chatId: string): Promise<string | undefined> {
  const [c] = await h.database.db.select({ language: contacts.language }).from(contacts).where(eq(contacts.externalId, chatId));
  return c?.language ?? undefined;
}

/**
 * The first words. A first message that asks for something is answered at once, in the language it was written
 * in (the notice says how to switch); a greeting alone gets the language question, and the resident presses
 * theirs. Only if the chat is not in the resident's language after that does the resident type "English".
 */
async function open(r: Recorder, lang: Lang, task: Task, h: FlowHarness): Promise<void> {
  if (lang === 'en' && task.english === 'first') await r.say('English');
  await r.say(task.first[lang]);
  if (r.options.includes('en') && r.options.includes('id')) await r.press(lang);
  else if (lang === 'en' && (await languageOf(h, r.chat.chatId)) !== 'en') await r.say('English');
}

/** NIK, KK number and birth date as the resident types them, then the code sent to the registry phone. */
async function proveIdentity(r: Recorder, nik = SITI.nik, birth = SITI.birth): Promise<void> {
  await r.say(nik);
  await r.say(demoKkOf(nik)!);
  // The code goes to the registry phone with the answer to the date; earlier conversations of the same harness
  // may have sent one to the same phone within the minute.
  r.waitOutCodeMinute();
  await r.say(birth);
  await r.proveByCode();
}

async function sitisInvitation(h: FlowHarness) {
  const [siti] = await h.database.db.select({ householdId: members.householdId }).from(members).where(eq(members.nik, SITI.nik));
  const [row] = await h.database.db.select().from(invitations).where(eq(invitations.householdId, siti!.householdId));
  return row!;
}

/** From the NIK question of a fresh chat to Siti's invitation on screen. */
async function toInvitation(r: Recorder) {
  await proveIdentity(r);
  expect(r.options).toEqual(['confirm', 'slot', 'decline', 'proxy', 'cmd:menu']);
}

/** Siti's report "PKH not paid", filed in a chat of its own; returns its tracking ID. */
async function fileSitisReport(h: FlowHarness, lang: Lang, chatId?: string): Promise<string> {
  const c = driver(h.engine, chatId);
  await c.start(lang);
  await c.verify(SITI.nik, SITI.birth);
  await c.say('menu');
  await c.choose('complaint');
  await c.choose('not_received');
  await c.say('PKH');
  await c.choose('late');
  await c.say(lang === 'id' ? 'Tahap terakhir' : 'The last tranche');
  await c.choose('skip');
  await c.choose('send');
  const trackingId = /ADU-\d{4}-\d{5}/.exec(c.text)?.[0];
  if (!trackingId) throw new Error(`no tracking id in: ${c.text}`);
  return trackingId;
}

async function isHandedOver(h: FlowHarness, chatId: string): Promise<boolean> {
  const [c] = await h.database.db.select({ handoverAt: contacts.handoverAt }).from(contacts).where(eq(contacts.externalId, chatId));
  return c?.handoverAt != null;
}

const BOTH: readonly Lang[] = LANGS;

/** What the resident writes to the officer once the chat is handed over: one question, then a nudge. */
const TO_THE_OFFICER: Record<Lang, [string, string]> = {
  id: ['PKH saya triwulan ini belum masuk, kenapa ya?', 'halo?'],
  en: ['My PKH for this quarter has not come in, why?', 'hello?'],
};

const TASKS: Task[] = [
  {
    nn: '01',
    name: 'aid-check',
    langs: BOTH,
    maxMessages: 5,
    first: { id: 'cek bansos', en: 'I want to check my aid' },
    async run(r, lang) {
      await proveIdentity(r);
      // The answer first, in one bubble; the figures behind "Rincian".
      expect(r.turns.at(-1)!.replies.at(-1)!.text).toContain(programName('PKH', lang));
      expect(r.options).toContain('details');
    },
  },
  {
    // The same, and the figures the resident opens from the answer: a press more than the check itself.
    nn: '01b',
    name: 'aid-check-details',
    langs: BOTH,
    maxMessages: 6,
    first: { id: 'cek bansos', en: 'I want to check my aid' },
    async run(r, lang) {
      await proveIdentity(r);
      await r.press('details');
      // Thousands grouped as the reader's language groups them.
      expect(r.text).toContain(lang === 'id' ? 'Rp750.000' : 'Rp750,000');
    },
  },
  {
    nn: '02',
    name: 'view-invitation',
    langs: BOTH,
    maxMessages: 5,
    first: { id: 'undangan saya', en: 'my distribution invitation' },
    async run(r, _lang, h) {
      await toInvitation(r);
      expect(r.text).toContain(formatInvitationCode((await sitisInvitation(h)).code));
    },
  },
  {
    nn: '03',
    name: 'confirm-attendance',
    langs: BOTH,
    maxMessages: 5,
    // Not "... pembagian bansos": "bansos" weighs as much as "pembagian", and the aid check wins the tie.
    first: { id: 'mau konfirmasi hadir undangan pembagian', en: 'I want to confirm I will come to the distribution' },
    async run(r, _lang, h) {
      // The first words said it: once it is her, the invitation is confirmed and shown, with its other answers.
      await proveIdentity(r);
      expect((await sitisInvitation(h)).status).toBe('confirmed');
      expect(r.text).toContain(formatInvitationCode((await sitisInvitation(h)).code));
      expect(r.options).not.toContain('confirm');
    },
  },
  {
    nn: '04',
    name: 'decline-invitation',
    langs: BOTH,
    maxMessages: 5,
    first: { id: 'saya tidak bisa datang ke pembagian', en: 'I cannot come to the distribution' },
    async run(r, lang, h) {
      // The first words said it: once it is her, the invitation and the reason question.
      await proveIdentity(r);
      expect(r.options).toContain('sick');
      // The reason written out, as the question invites ("Mohon beri tahu alasan ..."), then the confirmation.
      await r.say(lang === 'id' ? 'anak saya sakit, harus dirawat di rumah' : 'my child is ill and needs care at home');
      expect((await sitisInvitation(h)).status).toBe('invited');
      await r.press('yes');
      const row = await sitisInvitation(h);
      expect(row.status).toBe('declined');
      expect(row.declineReason).toMatch(/sakit|ill/);
      expect(r.options).toContain('restore');
    },
  },
  {
    nn: '05',
    name: 'name-proxy',
    langs: BOTH,
    maxMessages: 8,
    first: { id: 'undangan pembagian mau diwakilkan suami', en: 'my husband will collect my invitation for me' },
    async run(r, _lang, h) {
      // The first words said it (a kuasa, her husband): once it is her, the kuasa's name is asked.
      await proveIdentity(r);
      // The name with the NIK in one message, as the question allows.
      await r.say(`${RAHMAT.name} ${RAHMAT.nik}`);
      await r.press('working_away');
      await r.press('send');
      const rows = await h.database.db.select().from(proxies).where(eq(proxies.invitationId, (await sitisInvitation(h)).id));
      expect(rows).toMatchObject([{ name: RAHMAT.name, nik: RAHMAT.nik, relation: 'spouse', reason: 'working_away', status: 'pending' }]);
    },
  },
  {
    nn: '06',
    name: 'file-complaint',
    langs: BOTH,
    maxMessages: 7,
    first: { id: 'saya mau mengadu bantuan belum diterima', en: 'I want to complain, my aid has not been received' },
    async run(r, lang, h) {
      // The kind of report is taken from the first words. An unverified chat: whose aid it is, with the NIK in the same message.
      await r.say(`Siti Aminah, ${SITI.nik}`);
      await r.say('PKH');
      await r.press('late');
      await r.say(lang === 'id' ? 'Tahap terakhir, sampai sekarang belum cair' : 'The last tranche, still not paid');
      await r.press('skip');
      // "Kirim laporan ini?" answered in words.
      await r.say(lang === 'id' ? 'ya' : 'yes');
      const trackingId = /ADU-\d{4}-\d{5}/.exec(r.text)?.[0];
      const [row] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, trackingId ?? ''));
      expect(row).toMatchObject({ category: 'not_received', status: 'received', details: { subjectName: 'Siti Aminah', subjectNik: SITI.nik } });
    },
  },
  {
    nn: '07',
    name: 'complaint-status',
    langs: BOTH,
    maxMessages: 5,
    first: { id: 'cek status laporan saya', en: 'check the status of my report' },
    // Siti filed her report earlier in this same chat; she no longer has the number: "Cek status" lists the
    // chat's own reports.
    async before(h, lang) {
      const chatId = `status-${lang}-${Date.now()}`;
      return { chatId, trackingId: await fileSitisReport(h, lang, chatId) };
    },
    async run(r, _lang, _h, { trackingId }) {
      await r.press(`report:${trackingId}`);
      expect(r.text).toContain(trackingId);
      expect(r.options).toContain('again');
    },
  },
  {
    // Filed from another chat (a web chat on another phone, say): this chat is new, so it has to show it is hers
    // before the status is shown. She has the number and writes it in her first message.
    nn: '07b',
    name: 'complaint-status-other-chat',
    langs: BOTH,
    maxMessages: 5,
    first: { id: 'cek status laporan <ADU>', en: 'check the status of report <ADU>' },
    async before(h, lang) {
      return { trackingId: await fileSitisReport(h, lang) };
    },
    async run(r, _lang, _h, { trackingId }) {
      // The number is read from the first words; not this chat's, so the NIK question follows at once.
      expect(r.text).toContain(trackingId);
      await proveIdentity(r);
      expect(r.text).toContain(trackingId);
      expect(r.options).toContain('again');
    },
  },
  {
    nn: '08',
    name: 'office-hours',
    langs: BOTH,
    maxMessages: 5,
    first: { id: 'jam buka kantor dinsos kapan?', en: 'What are your office hours?' },
    async run(r) {
      expect(r.text).toMatch(/08[.:]00–16[.:]00/);
    },
  },
  {
    nn: '09',
    name: 'talk-to-officer',
    langs: BOTH,
    maxMessages: 5,
    first: { id: 'saya mau bicara dengan petugas', en: 'I would like to talk to an officer' },
    async run(r, lang, h) {
      expect(await isHandedOver(h, r.chat.chatId)).toBe(true);
      // Acknowledged once per wait, then quiet until the officer answers.
      await r.say(TO_THE_OFFICER[lang][0]);
      expect(r.text).toMatch(/Pesan diterima|Message received/);
      await r.say(TO_THE_OFFICER[lang][1]);
      expect(r.turns.at(-1)!.replies).toEqual([]);
      expect(await isHandedOver(h, r.chat.chatId)).toBe(true);
    },
  },
  {
    // The same in English, by a resident who writes "English" before anything else.
    nn: '09b',
    name: 'talk-to-officer-english-first',
    langs: ['en'],
    maxMessages: 5,
    english: 'first',
    first: { id: '', en: 'I would like to talk to an officer' },
    async run(r, lang, h) {
      await r.say(TO_THE_OFFICER[lang][0]);
      expect(await isHandedOver(h, r.chat.chatId)).toBe(true);
      expect(await languageOf(h, r.chat.chatId)).toBe('en');
    },
  },
  {
    // In the evening: the resident is told when the office opens next.
    nn: '09c',
    name: 'talk-to-officer-after-hours',
    langs: BOTH,
    maxMessages: 5,
    at: '21:38',
    first: { id: 'saya mau bicara dengan petugas', en: 'I would like to talk to an officer' },
    async run(r, lang, h) {
      expect(r.text).toMatch(/08[.:]00/);
      await r.say(TO_THE_OFFICER[lang][0]);
      expect(r.text).toMatch(/Pesan diterima|Message received/);
      expect(await isHandedOver(h, r.chat.chatId)).toBe(true);
    },
  },
  {
    // Someone else in need (PPKS, issue 19): an old man on the street, reported from the first words, in danger
    // now, the reporter kept confidential. The web chat cannot share a location: the place is typed.
    nn: '10',
    name: 'report-someone-in-need',
    langs: BOTH,
    maxMessages: 9,
    first: { id: 'ada orang tua terlantar di jalan', en: 'there is a neglected old man on the street' },
    async run(r, lang, h) {
      await r.press('lansia_terlantar');
      await r.press('yes');
      await r.say(lang === 'id' ? 'Halte depan Pasar Jodoh, Kel. Sungai Jodoh' : 'The bus stop in front of Pasar Jodoh, Kel. Sungai Jodoh');
      await r.press('unknown');
      await r.say(lang === 'id' ? 'Bapak tua, sekitar 70 tahun, tidur di halte sejak kemarin dan tampak lemas.' : 'An old man, about 70, sleeping at the bus stop since yesterday, looks weak.');
      await r.press('yes');
      await r.press('skip');
      await r.say(lang === 'id' ? 'ya' : 'yes');
      expect(r.text).toContain('112');
      const trackingId = /ADU-\d{4}-\d{5}/.exec(r.text)?.[0];
      const [row] = await h.database.db.select().from(complaints).where(eq(complaints.trackingId, trackingId ?? ''));
      expect(row).toMatchObject({ category: 'ppks', anonymous: true, details: { kind: 'lansia_terlantar', urgent: 'yes', who: 'unknown' } });
    },
  },
];

// ---- running them --------------------------------------------------------------------------------------

interface Conversation {
  turns: Turn[];
  transcript: string;
  figures: Figures;
}

let notUnderstoodTexts: Promise<string[]> | undefined;
function notUnderstood(): Promise<string[]> {
  notUnderstoodTexts ??= createI18n('id').then((i18n) => LANGS.map((lng) => i18n.t('chat:notUnderstood', { lng })));
  return notUnderstoodTexts;
}

const TZ = BATAM.timezone;

/**
 * The harness's clock starts at the real time, and the seeded distribution lies two weeks after that day. The
 * time of day is fixed here, on a working day (today's, or the next), in office hours unless the task says: whether the desk is
 * open and the times a report is stamped with are the same whenever the suite runs. Dates still move with the
 * day and become placeholders.
 */
function onAWorkingDay(h: FlowHarness, at = '10:00'): void {
  const day = nextWorkingDay(localDate(h.clock(), TZ), new Set(BATAM.holidays.map((d) => d.day)));
  h.clock.set(localInstant(day, at, TZ));
}

const conversations = new Map<string, Promise<Conversation>>();

/** One task in one language, in a city of its own: a confirmation, a decline and a kuasa never meet. */
function conversation(task: Task, lang: Lang): Promise<Conversation> {
  const key = `${lang}/${task.nn}`;
  let run = conversations.get(key);
  if (!run) {
    run = (async () => {
      const h = await flowHarness({ households: 20 });
      try {
        onAWorkingDay(h, task.at);
        const vars = (await task.before?.(h, lang)) ?? {};
        const r = new Recorder(h, vars.chatId);
        // "<ADU>" in the first words: the tracking ID the set-up filed.
        const first = task.first[lang].replace('<ADU>', vars.trackingId ?? '<ADU>');
        await open(r, lang, { ...task, first: { ...task.first, [lang]: first } }, h);
        await task.run(r, lang, h, vars);
        // The invitation codes of the harness, whatever their letters, as stored and as shown (XXXX-XXXX).
        const codes = await h.database.db.select({ code: invitations.code }).from(invitations);
        const known = Object.fromEntries(codes.flatMap((c) => [[formatInvitationCode(c.code), '<KODE>'], [c.code, '<KODE>']]));
        return { turns: r.turns, transcript: stable(render(r.turns), known), figures: measure(r.turns, await notUnderstood()) };
      } finally {
        await h.dispose();
      }
    })();
    conversations.set(key, run);
  }
  return run;
}

afterAll(async () => {
  await Promise.allSettled(conversations.values());
});

const RECORDED = TASKS.flatMap((task) => task.langs.map((lang) => ({ task, lang, file: `${lang}/${task.nn}-${task.name}` })));

describe('transcripts', () => {
  it.each(RECORDED.map((x) => [x.file, x] as const))('%s', async (_file, { task, lang, file }) => {
    const c = await conversation(task, lang);
    // Nothing that changes from run to run is left in (the wording's own examples aside).
    expect(c.transcript.replace(/(Contoh|misalnya|example):? ADU-\d{4}-\d{5}/gi, '')).not.toMatch(/ADU-\d|(?<![\d*])\d{6}(?![\d*])/);
    await expect(c.transcript).toMatchFileSnapshot(`../transcripts/${file}.txt`);
  }, 120_000);
});

// ---- the targets ---------------------------------------------------------------------------------------

/** The targets: at most this much (messages: the task's own limit). */
function limitOf(task: Task, figure: Figure): number {
  switch (figure) {
    case 'messages':
      return task.maxMessages;
    case 'bubble':
      return 600;
    case 'firstBubble':
      return 400;
    case 'reply':
      return 800;
    case 'notUnderstood':
      return 0;
  }
}

const FIGURES: Figure[] = ['messages', 'bubble', 'firstBubble', 'reply', 'notUnderstood'];

interface KnownMiss {
  task: string;
  lang: Lang;
  figure: Figure;
  /** As measured when listed; lengths move by a few characters with the day's date (names of days and months). */
  measured: number;
}

/**
 * Targets that do not hold today. The last test fails when one of these starts to hold (take it out) and when
 * anything not listed misses (fix it, or list it here with the reason it cannot be fixed yet).
 */
const KNOWN_MISSES: KnownMiss[] = [
  // Proving identity takes four messages of its own (NIK, KK number, birth date, the code from the registry
  // phone); declining takes two more (the reason, then "Ya, tidak bisa hadir", which says what declining means
  // before it happens). With the first words that is seven. The confirmation stays: the issue asks for it.
  { task: '04-decline-invitation', lang: 'id', figure: 'messages', measured: 7 },
  { task: '04-decline-invitation', lang: 'en', figure: 'messages', measured: 7 },
];

/** How far a measured length may move with the date (a weekday's and a month's name, a one- or two-digit day). */
const DATE_SLACK = 30;

describe('targets', () => {
  it('KNOWN_MISSES names only recorded tasks and figures, each once', () => {
    const names = new Set(RECORDED.map((x) => `${x.lang}/${x.task.nn}-${x.task.name}`));
    const keys = KNOWN_MISSES.map((m) => `${m.lang}/${m.task}:${m.figure}`);
    for (const m of KNOWN_MISSES) expect(names, `${m.lang}/${m.task}`).toContain(`${m.lang}/${m.task}`);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each(RECORDED.map((x) => [x.file, x] as const))('%s meets its targets, but for its known misses', async (_file, { task, lang }) => {
    const { figures } = await conversation(task, lang);
    const name = `${task.nn}-${task.name}`;
    const problems: string[] = [];
    for (const figure of FIGURES) {
      const value = figures[figure];
      const limit = limitOf(task, figure);
      const listed = KNOWN_MISSES.find((m) => m.task === name && m.lang === lang && m.figure === figure);
      if (!listed) {
        if (value > limit) problems.push(`${figure} = ${value}, over the target ${limit}: not in KNOWN_MISSES`);
        continue;
      }
      if (value <= limit) problems.push(`${figure} = ${value} meets the target ${limit} now: take it out of KNOWN_MISSES`);
      const slack = figure === 'bubble' || figure === 'firstBubble' || figure === 'reply' ? DATE_SLACK : 0;
      if (Math.abs(value - listed.measured) > slack) problems.push(`${figure} = ${value}, listed in KNOWN_MISSES as ${listed.measured}: update the table`);
    }
    expect(problems).toEqual([]);
  }, 120_000);
});
