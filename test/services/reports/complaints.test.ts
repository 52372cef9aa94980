import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/services/actor.ts';
import { closeComplaint, replyToResident, verifyComplaint } from '../../../src/services/complaints/lifecycle.ts';
import { pendingRating, recordRating } from '../../../src/services/satisfaction/answer.ts';
import { ikm, mutuOf, slaCompliance } from '../../../src/services/reports/complaints.ts';
import type { TestDatabase } from '../../helpers/db.ts';
import { contact, file, kecamatanId, staff, wib } from '../complaints/lifecycle.fixtures.ts';
import { seededDatabase } from '../seeded.ts';

let database: TestDatabase;
let galang: number;
let nongsa: number;
let admin: Actor;
let galangSupervisor: Actor;

beforeAll(async () => {
  database = await seededDatabase(50);
  galang = await kecamatanId(database.db, 'Galang');
  nongsa = await kecamatanId(database.db, 'Nongsa');
  admin = await staff(database.db, 'admin');
  galangSupervisor = await staff(database.db, 'supervisor', { kecamatanId: galang });
});
afterAll(async () => {
  await database?.dispose();
});

const db = () => database.db;

/** Files, verifies, answers and closes a complaint at the given moments; rates it when a score is given. */
async function worked(k: number, at: { filed: Date; verified?: Date; answered?: Date; closed?: Date }, score?: number) {
  const contactId = await contact(db());
  const { id } = await file(db(), { contactId, kecamatanId: k, now: at.filed });
  if (at.verified) expect(await verifyComplaint(db(), admin, id, { now: at.verified })).toMatchObject({ ok: true });
  if (at.answered) expect(await replyToResident(db(), admin, id, { text: 'Sudah kami tindak lanjuti.', now: at.answered })).toMatchObject({ ok: true });
  if (at.closed) expect(await closeComplaint(db(), admin, id, { now: at.closed })).toMatchObject({ ok: true });
  if (score !== undefined) {
    const asked = await pendingRating(db(), contactId);
    expect(await recordRating(db(), { satisfactionId: asked!.satisfactionId, contactId, score, now: at.closed! })).toEqual({ ok: true });
  }
  return id;
}

describe('IKM from residents’ ratings', () => {
  it('is mean score / 5 × 100 over ratings of complaints closed in the period and in scope', async () => {
    const january = { filed: wib('2027-01-11T09:00:00'), verified: wib('2027-01-12T09:00:00'), answered: wib('2027-01-13T09:00:00') };
    for (const score of [5, 4, 4, 3]) await worked(galang, { ...january, closed: wib('2027-02-10T09:00:00') }, score);
    await worked(galang, { ...january, closed: wib('2027-03-10T09:00:00') }, 1); // another period
    await worked(nongsa, { ...january, closed: wib('2027-02-10T09:00:00') }, 1); // another kecamatan
    await worked(galang, { ...january, closed: wib('2027-02-10T09:00:00') }); // closed, not rated

    const february = { from: wib('2027-02-01T00:00:00'), to: wib('2027-03-01T00:00:00') };
    expect(await ikm(db(), galangSupervisor, february)).toEqual({ ikm: 80, mutu: 'B', count: 4, distribution: [0, 0, 1, 2, 1] });
    expect(await ikm(db(), admin, february)).toEqual({ ikm: 68, mutu: 'C', count: 5, distribution: [1, 0, 1, 2, 1] });
    expect(await ikm(db(), galangSupervisor, { from: wib('2026-01-01T00:00:00'), to: wib('2026-02-01T00:00:00') })).toEqual({
      ikm: null,
      mutu: null,
      count: 0,
      distribution: [0, 0, 0, 0, 0],
    });
    expect(await ikm(db(), await staff(db(), 'field_officer'), february)).toMatchObject({ count: 0 });
  });

  it("uses Permenpan RB 14/2017's quality bands", () => {
    expect([100, 88.31, 88.3, 76.61, 76.6, 65, 64.99, 20].map(mutuOf)).toEqual(['A', 'A', 'B', 'B', 'C', 'C', 'D', 'D']);
  });
});

describe('SLA compliance', () => {
  it('counts verification within 3 working days of filing and the first answer within 5 of verification', async () => {
    const filed = wib('2027-02-01T10:00:00'); // Monday; verify by Thu 4 Feb 10:00
    await worked(galang, { filed, verified: wib('2027-02-02T10:00:00'), answered: wib('2027-02-03T10:00:00') }); // both on time
    await worked(galang, { filed, verified: wib('2027-02-08T10:00:00'), answered: wib('2027-02-09T10:00:00') }); // verified late
    await worked(galang, { filed, verified: wib('2027-02-02T10:00:00'), answered: wib('2027-02-10T10:00:00') }); // answer due 9 Feb: late
    await worked(galang, { filed }); // never verified, overdue
    await worked(galang, { filed: wib('2027-02-26T10:00:00') }); // not due yet on 1 March

    const report = await slaCompliance(db(), galangSupervisor, { from: wib('2027-02-01T00:00:00'), to: wib('2027-03-01T00:00:00'), now: wib('2027-03-01T09:00:00') });
    expect(report).toEqual({ verifyDue: 4, verifiedOnTime: 2, verifyRate: 0.5, answerDue: 3, answeredOnTime: 2, answerRate: 0.6667 });
  });
});
