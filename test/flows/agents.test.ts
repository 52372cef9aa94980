import { desc, eq } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agents, complaints, programs } from '../../src/db/schema/index.ts';
import type { Locale } from '../../src/domain/vocabulary.ts';
import { createI18n } from '../../src/i18n.ts';
import { driver, flowHarness, startedChat, type ChatDriver, type FlowHarness } from '../helpers/chat.ts';

// Issue 20 in the chat: a Sembako family's aid check offers the nearest e-warong (its own kelurahan's first),
// and a report of aid not received may be about an agent — poor or short goods, a closed agent, a high
// price — naming it by button (verified) or by name (anyone); the program it names routes it to that
// program's bidang.

const SITI = { nik: '2171105203850001', birth: '12-03-1985' };
const AHMAD = { nik: '2171060501520002', birth: '05-01-1952' };

let h: FlowHarness;
let tr: Record<Locale, TFunction>;

beforeAll(async () => {
  h = await flowHarness();
  const i18n = await createI18n('id');
  tr = { id: i18n.getFixedT('id'), en: i18n.getFixedT('en') };
}, 120_000);
afterAll(() => h.dispose());

async function verified(locale: Locale, who = SITI): Promise<ChatDriver> {
  const c = driver(h.engine);
  await c.start(locale);
  await c.verify(who.nik, who.birth);
  return c;
}

async function latestComplaint() {
  const [c] = await h.database.db.select().from(complaints).orderBy(desc(complaints.id)).limit(1);
  return c!;
}

const idOf = async (table: typeof agents | typeof programs, name: string) => (await h.database.db.select({ id: table.id }).from(table).where(eq(table.name, name)))[0]!.id;

describe.each<Locale>(['id', 'en'])('agents in %s', (locale) => {
  const t = (key: string, vars?: Record<string, unknown>) => tr[locale](key, vars);

  it("offers Siti the nearest e-warong from her summary, her own kelurahan's first", async () => {
    const c = await verified(locale);
    expect(c.options).toContain('agents');
    await c.choose('agents');
    expect(c.text).toContain(t('agents:nearby.header'));
    const list = c.replies[0]!.text;
    expect(list.indexOf('E-Warong KUBE Belian')).toBeGreaterThan(0);
    expect(list.indexOf('E-Warong KUBE Belian')).toBeLessThan(list.indexOf('E-Warong KUBE Baloi Permai'));
    expect(list).toContain(t('agents:nearby.hours', { hours: 'Senin–Sabtu 08.00–17.00' }));
    expect(list).toMatch(locale === 'id' ? /Baloi Permai, sekitar \d,\d km/ : /Baloi Permai, about \d\.\d km/);
    expect(c.options).toEqual(['report', 'summary', 'cmd:menu']);
    await c.choose('summary');
    expect(c.options).toContain('agents');
  });

  it('offers no agents to a family whose aid no agent serves', async () => {
    const c = await verified(locale, AHMAD);
    expect(c.options).not.toContain('agents');
  });

  it('files a report about a closed e-warong, picked by button, counted against it', async () => {
    const c = await verified(locale);
    await c.choose('agents');
    await c.choose('report');
    // Verified: no "whose aid" question; the family's programs as buttons.
    const sembako = await idOf(programs, 'Program Sembako (BPNT)');
    expect(c.options).toContain(`pick:${sembako}`);
    await c.choose(`pick:${sembako}`);
    expect(c.options).toEqual(['none', 'cut', 'late', 'quality', 'quantity', 'closed', 'price', 'other']);
    await c.choose('closed');
    expect(c.last.text).toBe(t('complaint:fields.not_received.agent.prompt'));
    const belian = await idOf(agents, 'E-Warong KUBE Belian');
    expect(c.options[0]).toBe(`pick:${belian}`);
    expect(c.options).toContain('unknown');
    await c.choose(`pick:${belian}`);
    await c.say('Sudah tiga minggu tutup');
    await c.choose('skip');
    expect(c.text).toContain('E-Warong KUBE Belian');
    await c.choose('send');
    expect(await latestComplaint()).toMatchObject({ category: 'not_received', programId: sembako, agentId: belian, agentProblem: 'closed', bidang: 'Linjamsos' });
  });

  it('matches an agent and a program typed in an unverified chat; routes by the program', async () => {
    const c = await startedChat(h.engine, locale);
    await c.choose('complaint');
    await c.choose('not_received');
    await c.say('Rahmat Hidayat');
    await c.say('sembakko');
    await c.choose('quality');
    expect(c.options).toEqual(['unknown']);
    await c.say('ewarong batu selicin');
    await c.say('Beras berkutu, November');
    await c.choose('skip');
    await c.choose('send');
    expect(await latestComplaint()).toMatchObject({
      programId: await idOf(programs, 'Program Sembako (BPNT)'),
      agentId: await idOf(agents, 'E-Warong KUBE Batu Selicin'),
      agentProblem: 'quality',
    });
  });

  it('routes a report naming the elderly aid to its bidang, and keeps "unknown" agents unnamed', async () => {
    const c = await startedChat(h.engine, locale);
    await c.choose('complaint');
    await c.choose('not_received');
    await c.say('Ahmad Yusuf');
    await c.say('Bansos Lansia');
    await c.choose('late');
    // Not about an agent: no agent question.
    expect(c.last.text).toBe(t('complaint:fields.not_received.when.prompt'));
    await c.say('Oktober 2026');
    await c.choose('skip');
    await c.choose('send');
    expect(await latestComplaint()).toMatchObject({ programId: await idOf(programs, 'Bansos Lansia Kota Batam'), bidang: 'Rehsos', agentId: null, agentProblem: null });

    const d = await startedChat(h.engine, locale);
    await d.choose('complaint');
    await d.choose('not_received');
    await d.say('Rahmat Hidayat');
    await d.say('tidak tahu programnya');
    await d.choose('quantity');
    await d.choose('unknown');
    await d.say('Desember 2026');
    await d.choose('skip');
    await d.choose('send');
    expect(await latestComplaint()).toMatchObject({ programId: null, agentId: null, agentProblem: 'quantity', bidang: 'Linjamsos' });
  });
});
