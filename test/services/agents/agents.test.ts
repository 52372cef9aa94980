import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agents, auditLog, complaints, kecamatan, kelurahan, programs } from '../../../src/db/schema/index.ts';
import { agentProblems, listAgents, matchAgent, nearbyAgents, saveAgent, setAgentActive, type AgentInput } from '../../../src/services/agents/index.ts';
import { Forbidden } from '../../../src/services/access.ts';
import { fileComplaint } from '../../../src/services/complaints/file.ts';
import { matchProgram } from '../../../src/services/programs/match.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { staffActor } from '../staff/fixtures.ts';
import { memberOf, newContact, resident, SEED_NOW, seededDatabase } from '../seeded.ts';

// E-warong and agents on the seeded demo city: kept by admins within their kecamatan, bad input refused with
// nothing written, the nearest ones for a Sembako family (its own kelurahan first), complaints naming an agent
// counted per agent and problem, and a report naming a program routed to the program's bidang.

let database: TestDatabase;
const DAY = 86_400_000;

beforeAll(async () => {
  database = await seededDatabase(30);
}, 120_000);
afterAll(() => database?.dispose());

async function kelurahanId(name: string) {
  const [k] = await database.db.select({ id: kelurahan.id, kecamatanId: kelurahan.kecamatanId }).from(kelurahan).where(eq(kelurahan.name, name));
  return k!;
}
const input = (over: Partial<AgentInput> = {}): AgentInput => ({
  name: 'E-Warong Bu Ani',
  kind: 'e_warong',
  kelurahanId: null,
  address: 'Jl. Kenanga 3',
  latitude: '1.1201',
  longitude: '104.0655',
  programs: ['SEMBAKO'],
  hours: 'Senin–Jumat 08.00–16.00',
  phone: '0778 457123',
  ...over,
});

describe('keeping agents', () => {
  it('refuses bad input with every reason, before anything is written', async () => {
    const belian = await kelurahanId('Belian');
    expect(agentProblems(input({ kelurahanId: belian.id }))).toEqual([]);
    const problems = agentProblems(input({ name: ' ', kind: 'warung', kelurahanId: null, latitude: '91', longitude: '104,06', programs: [], phone: 'abc' }));
    expect(problems).toEqual([
      { field: 'name', problem: 'missing' },
      { field: 'kind', problem: 'invalid' },
      { field: 'kelurahan', problem: 'missing' },
      { field: 'latitude', problem: 'invalid' },
      { field: 'programs', problem: 'missing' },
      { field: 'phone', problem: 'invalid' },
    ]);
    expect(agentProblems(input({ kelurahanId: belian.id, longitude: '' }))).toEqual([{ field: 'longitude', problem: 'half' }]);
    expect(agentProblems(input({ kelurahanId: belian.id, longitude: '181' }))).toEqual([{ field: 'longitude', problem: 'invalid' }]);
    expect(agentProblems(input({ kelurahanId: belian.id, latitude: '', longitude: '' }))).toEqual([]);

    const admin = await staffActor(database.db, { role: 'admin' });
    const before = (await database.db.select().from(agents)).length;
    const unknown = await saveAgent(database.db, admin, null, input({ kelurahanId: belian.id, programs: ['SEMBAKO', 'beras'] }), { now: SEED_NOW });
    expect(unknown).toEqual({ ok: false, reason: 'program_unknown', codes: ['BERAS'] });
    expect(await saveAgent(database.db, admin, null, input({ kelurahanId: 999_999 }), { now: SEED_NOW })).toEqual({ ok: false, reason: 'kelurahan_unknown' });
    await expect(saveAgent(database.db, admin, null, input({ kelurahanId: belian.id, latitude: '95' }), { now: SEED_NOW })).rejects.toThrow('not checked');
    expect((await database.db.select().from(agents)).length).toBe(before);
  });

  it('adds, changes, deactivates and reactivates an agent, each audited; a kecamatan admin only in their own', async () => {
    const belian = await kelurahanId('Belian');
    const batuSelicin = await kelurahanId('Batu Selicin');
    const admin = await staffActor(database.db, { role: 'admin' });
    const made = await saveAgent(database.db, admin, null, input({ kelurahanId: belian.id, programs: ['sembako', 'SEMBAKO'] }), { now: SEED_NOW });
    if (!made.ok) throw new Error(made.reason);
    const [row] = await database.db.select().from(agents).where(eq(agents.id, made.id));
    expect(row).toMatchObject({ name: 'E-Warong Bu Ani', programs: ['SEMBAKO'], latitude: '1.120100', longitude: '104.065500', active: true });

    const local = await staffActor(database.db, { role: 'admin', kecamatanId: belian.kecamatanId });
    expect((await saveAgent(database.db, local, made.id, input({ kelurahanId: belian.id, name: 'E-Warong Bu Ani Jaya' }), { now: SEED_NOW })).ok).toBe(true);
    // Not out of their kecamatan, and not another kecamatan's agent.
    await expect(saveAgent(database.db, local, made.id, input({ kelurahanId: batuSelicin.id }), { now: SEED_NOW })).rejects.toBeInstanceOf(Forbidden);
    const [other] = await database.db.select({ id: agents.id }).from(agents).where(eq(agents.kelurahanId, batuSelicin.id));
    await expect(setAgentActive(database.db, local, other!.id, false, { now: SEED_NOW })).rejects.toBeInstanceOf(Forbidden);
    const supervisor = await staffActor(database.db, { role: 'supervisor' });
    await expect(listAgents(database.db, supervisor, { now: SEED_NOW })).rejects.toBeInstanceOf(Forbidden);

    expect(await setAgentActive(database.db, local, made.id, false, { now: SEED_NOW })).toEqual({ ok: true, id: made.id });
    expect(await setAgentActive(database.db, local, made.id, true, { now: SEED_NOW })).toEqual({ ok: true, id: made.id });
    expect(await setAgentActive(database.db, local, 999_999, true, { now: SEED_NOW })).toEqual({ ok: false, reason: 'not_found' });
    const actions = (await database.db.select().from(auditLog).where(and(eq(auditLog.entity, 'agent'), eq(auditLog.entityId, String(made.id))))).map((a) => a.action);
    expect(actions).toEqual(['agent.create', 'agent.update', 'agent.deactivate', 'agent.reactivate']);
    await database.db.delete(auditLog).where(and(eq(auditLog.entity, 'agent'), eq(auditLog.entityId, String(made.id))));
    await database.db.delete(agents).where(eq(agents.id, made.id));
  });
});

describe('the agents nearest a family', () => {
  it('tells Siti (Sembako, Belian) the e-warong of Belian first, then the nearest others, at most three', async () => {
    const siti = await memberOf(database.db, resident('Siti').nik);
    const near = await nearbyAgents(database.db, siti.id);
    expect(near).toHaveLength(3);
    expect(near[0]).toMatchObject({ name: 'E-Warong KUBE Belian', kelurahanName: 'Belian', sameKelurahan: true, hours: 'Senin–Sabtu 08.00–17.00' });
    expect(near[0]!.distanceKm).toBeLessThan(0.5);
    expect(near.slice(1).every((a) => !a.sameKelurahan)).toBe(true);
    expect(near[1]!.distanceKm!).toBeLessThanOrEqual(near[2]!.distanceKm!);

    // A nearer agent in another kelurahan comes after Belian's own; one without a point there is left out;
    // an inactive one and one serving another program are never shown.
    const sukajadi = await kelurahanId('Sukajadi');
    const belian = await kelurahanId('Belian');
    const added = await database.db
      .insert(agents)
      .values([
        { name: 'Agen Dekat', kelurahanId: sukajadi.id, latitude: '1.119000', longitude: '104.065000', programs: ['SEMBAKO'] },
        { name: 'Agen Tanpa Titik', kelurahanId: sukajadi.id, programs: ['SEMBAKO'] },
        { name: 'Agen Tutup', kelurahanId: belian.id, latitude: '1.119000', longitude: '104.066000', programs: ['SEMBAKO'], active: false },
        { name: 'Agen PKH', kelurahanId: belian.id, latitude: '1.119000', longitude: '104.066000', programs: ['PKH-LAIN'] },
      ])
      .returning({ id: agents.id });
    try {
      const again = (await nearbyAgents(database.db, siti.id)).map((a) => a.name);
      expect(again).toEqual(['E-Warong KUBE Belian', 'Agen Dekat', near[1]!.name]);
    } finally {
      await database.db.delete(agents).where(eq(agents.id, added[0]!.id));
      for (const a of added.slice(1)) await database.db.delete(agents).where(eq(agents.id, a.id));
    }
  });

  it('tells nobody whose family receives no program an agent serves', async () => {
    const budi = await memberOf(database.db, resident('Budi').nik);
    expect(await nearbyAgents(database.db, budi.id)).toEqual([]);
    const ahmad = await memberOf(database.db, resident('Ahmad').nik);
    expect(await nearbyAgents(database.db, ahmad.id)).toEqual([]);
  });

  it('finds the agent a report names, within the family kecamatan', async () => {
    const siti = await memberOf(database.db, resident('Siti').nik);
    expect((await matchAgent(database.db, 'ewarong belian', { memberId: siti.id }))?.name).toBe('E-Warong KUBE Belian');
    expect((await matchAgent(database.db, 'e warong kube belan', { memberId: siti.id }))?.name).toBe('E-Warong KUBE Belian');
    // Batu Selicin is in Lubuk Baja: not Siti's kecamatan; across the city for an unverified chat.
    expect(await matchAgent(database.db, 'e-warong batu selicin', { memberId: siti.id })).toBeNull();
    expect((await matchAgent(database.db, 'e-warong batu selicin', { memberId: null }))?.name).toBe('E-Warong KUBE Batu Selicin');
    expect(await matchAgent(database.db, 'warung', { memberId: null })).toBeNull();
  });
});

describe('complaints about a program and an agent', () => {
  it('matches the program a resident names, by code or name, with a typo', async () => {
    expect((await matchProgram(database.db, 'sembakko'))?.code).toBe('SEMBAKO');
    expect((await matchProgram(database.db, 'Bansos Lansia'))?.code).toBe('LANSIA');
    expect(await matchProgram(database.db, 'LANSIA')).toMatchObject({ code: 'LANSIA', bidang: 'Rehsos' });
    expect(await matchProgram(database.db, 'tidak tahu')).toBeNull();
  });

  it("routes a report about a program to the program's bidang, else by its category", async () => {
    const file = async (programId: number | null) => {
      const { id } = await fileComplaint(database.db, { contactId: await newContact(database.db), category: 'not_received', summary: 'Belum cair', details: {}, anonymous: false, programId, now: SEED_NOW });
      const [c] = await database.db.select().from(complaints).where(eq(complaints.id, id));
      return c!;
    };
    const lansia = (await matchProgram(database.db, 'lansia'))!;
    expect(await file(lansia.id)).toMatchObject({ programId: lansia.id, bidang: 'Rehsos' });
    expect(await file(null)).toMatchObject({ programId: null, bidang: 'Linjamsos' });
    // A program with no bidang of the office's list keeps the category's route.
    const [local] = await database.db
      .insert(programs)
      .values({ code: 'LOKAL-X', name: 'Bantuan Lokal', agency: 'Dinsos', bidang: null, funder: 'APBD', benefitType: 'cash', benefitPeriod: 'month', unit: 'household' })
      .returning({ id: programs.id });
    expect(await file(local!.id)).toMatchObject({ programId: local!.id, bidang: 'Linjamsos' });
  });

  it('counts the complaints naming each agent in the last 90 days, by problem', async () => {
    const admin = await staffActor(database.db, { role: 'admin' });
    const [belian] = await database.db.select({ id: agents.id }).from(agents).where(eq(agents.name, 'E-Warong KUBE Belian'));
    const contactId = await newContact(database.db);
    for (const [problem, days] of [['quality', 1], ['quality', 30], ['closed', 2], ['closed', 120]] as const) {
      await fileComplaint(database.db, { contactId, category: 'not_received', summary: 'Beras berkutu', details: {}, anonymous: false, agentId: belian!.id, agentProblem: problem, now: new Date(SEED_NOW.getTime() - days * DAY) });
    }
    const listed = (await listAgents(database.db, admin, { now: SEED_NOW })).find((a) => a.id === belian!.id)!;
    expect(listed.complaints).toEqual({ total: 3, byProblem: { quality: 2, closed: 1 } });
    const untouched = (await listAgents(database.db, admin, { now: SEED_NOW })).find((a) => a.name === 'E-Warong KUBE Sukajadi')!;
    expect(untouched.complaints).toEqual({ total: 0, byProblem: {} });
    // A kecamatan admin reads every agent, and may change only their own.
    const [batamKota] = await database.db.select({ id: kecamatan.id }).from(kecamatan).where(eq(kecamatan.name, 'Batam Kota'));
    const local = await staffActor(database.db, { role: 'admin', kecamatanId: batamKota!.id });
    expect((await listAgents(database.db, local, { now: SEED_NOW })).length).toBe((await database.db.select().from(agents)).length);
  });
});
