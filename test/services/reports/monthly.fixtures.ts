// A small hand-made city for the monthly report (November 2026, WIB): two kecamatan, two programs, one
// distribution with its messages, complaints, findings, a field visit, a PPKS report and ratings. The
// numbers each test expects are written down here from the rows, one by one, not from a query.

import type { Db } from '../../../src/db/client.ts';
import {
  complaintEvents,
  complaints,
  contacts,
  distributionEvents,
  enrollments,
  fieldTasks,
  fieldVisits,
  findings,
  households,
  invitations,
  members,
  outbox,
  programs,
  satisfaction,
  staffUsers,
} from '../../../src/db/schema/index.ts';
import { wib } from '../complaints/lifecycle.fixtures.ts';
import { kelurahanIn, twoKecamatan } from '../staff/fixtures.ts';

export interface MonthlyWorld {
  sagulung: number;
  nongsa: number;
  pkh: number;
  bpnt: number;
}

/** 1 December 2026, a Tuesday: the first working day after November. */
export const NOW = wib('2026-12-01T09:00:00');

let n = 0;
const kk = () => `2171${String(++n).padStart(12, '0')}`;

export async function monthlyWorld(db: Db): Promise<MonthlyWorld> {
  const { sagulung, nongsa } = await twoKecamatan(db);
  const Tembesi = (await kelurahanIn(db, sagulung, ['Tembesi'])).Tembesi!;
  const Batu = (await kelurahanIn(db, nongsa, ['Batu'])).Batu!;
  const [pkhRow, bpntRow] = await db
    .insert(programs)
    .values([
      { code: 'PKH', name: 'Program Keluarga Harapan', agency: 'Kemensos', bidang: 'Linjamsos', funder: 'APBN', benefitType: 'cash', benefitPeriod: 'quarter', unit: 'household', targetPerYear: 10 },
      { code: 'BPNT', name: 'Bantuan Pangan Non Tunai', agency: 'Kemensos', bidang: 'PM', funder: 'APBN', benefitType: 'in_kind', benefitPeriod: 'month', unit: 'person' },
    ])
    .returning({ id: programs.id });
  const pkh = pkhRow!.id;
  const bpnt = bpntRow!.id;

  const hh = async (kelurahanId: number) =>
    (await db.insert(households).values({ noKk: kk(), address: 'Jl. Uji', kelurahanId, source: 'test' }).returning({ id: households.id }))[0]!.id;
  const [h1, h2, h3, h4] = [await hh(Tembesi), await hh(Tembesi), await hh(Tembesi), await hh(Tembesi)];
  const [h5, h6] = [await hh(Batu), await hh(Batu)];
  const [m5] = await db
    .insert(members)
    .values({ householdId: h5!, nik: kk(), name: 'Siti Rahasia', birthDate: '1980-01-01', sex: 'P', relationship: 'kepala' })
    .returning({ id: members.id });

  // PKH: Sagulung h1 active (Oct), h2 verified (Nov), h3 proposed (Nov), h4 ended (Oct, left out);
  // Nongsa h5 active (Oct), h6 suspended but recorded in December (after the month: left out).
  // BPNT (a person program): h5's member, active, recorded in November.
  const e = (programId: number, householdId: number | null, status: (typeof enrollments.$inferInsert)['status'], createdAt: Date, memberId: number | null = null) => ({
    programId,
    householdId,
    memberId,
    status,
    period: '2026-Q4',
    source: 'test',
    createdAt,
  });
  await db.insert(enrollments).values([
    e(pkh, h1!, 'active', wib('2026-10-05T10:00:00')),
    e(pkh, h2!, 'verified', wib('2026-11-10T10:00:00')),
    e(pkh, h3!, 'proposed', wib('2026-11-05T10:00:00')),
    e(pkh, h4!, 'ended', wib('2026-10-05T10:00:00')),
    e(pkh, h5!, 'active', wib('2026-10-05T10:00:00')),
    e(pkh, h6!, 'suspended', wib('2026-12-01T08:00:00')),
    e(bpnt, null, 'active', wib('2026-11-03T10:00:00'), m5!.id),
  ]);

  // A PKH distribution on 20 November and one in October (left out).
  const [nov, oct] = await db
    .insert(distributionEvents)
    .values([
      { programId: pkh, tranche: '2026 Tahap IV', title: 'PKH November', eventDate: '2026-11-20', status: 'done' },
      { programId: pkh, tranche: '2026 Tahap III', title: 'PKH Oktober', eventDate: '2026-10-15', status: 'done' },
    ])
    .returning({ id: distributionEvents.id });
  const inv = async (eventId: number, householdId: number, round: number, status: (typeof invitations.$inferInsert)['status']) =>
    (await db.insert(invitations).values({ eventId, householdId, round, status, code: `K${++n}X` }).returning({ id: invitations.id }))[0]!.id;
  const i1 = await inv(nov!.id, h1!, 1, 'collected'); // Sagulung, reached on WhatsApp and Telegram
  const i2 = await inv(nov!.id, h2!, 1, 'no_show'); // Sagulung, its one message failed: not reached
  await inv(nov!.id, h3!, 2, 'no_show'); // Sagulung, second summons, no message
  await inv(nov!.id, h4!, 1, 'cancelled'); // left out
  const i5 = await inv(nov!.id, h5!, 1, 'invited'); // Nongsa, reached on the web chat
  const iOct = await inv(oct!.id, h1!, 1, 'collected'); // October: left out
  const chat = async (channel: (typeof contacts.$inferInsert)['channel']) =>
    (await db.insert(contacts).values({ channel, externalId: `c${++n}` }).returning({ id: contacts.id }))[0]!.id;
  const wa = await chat('whatsapp_cloud');
  const tg = await chat('telegram');
  const web = await chat('webchat');
  const waWeb = await chat('whatsapp_web');
  const msg = (contactId: number, channel: (typeof outbox.$inferInsert)['channel'], invitationId: number, status: (typeof outbox.$inferInsert)['status']) => ({
    contactId,
    channel,
    invitationId,
    status,
    payload: { kind: 'text', text: 'undangan' },
  });
  await db.insert(outbox).values([
    msg(wa, 'whatsapp_cloud', i1, 'sent'),
    msg(wa, 'whatsapp_cloud', i1, 'sent'), // a reminder on the same channel: still one family
    msg(tg, 'telegram', i1, 'sent'),
    msg(waWeb, 'whatsapp_web', i2, 'failed'),
    msg(web, 'webchat', i5, 'sent'),
    msg(wa, 'whatsapp_cloud', iOct, 'sent'),
  ]);

  // Complaints. Sagulung: about PKH, filed Mon 2 Nov, verified the 3rd, answered the 5th (on time both);
  // filed in October and closed 2 Nov (closed in the month only); a PPKS report filed 16 Nov, verified the
  // 17th, answered the 18th, closed the 20th (reported, reached, served). Nongsa: filed 10 Nov, verified the
  // 11th, answered and closed the 12th. No kecamatan: filed Sun 15 Nov, never verified (late).
  const complaint = async (c: Partial<typeof complaints.$inferInsert> & { createdAt: Date }, verifiedAt?: Date) => {
    const [row] = await db
      .insert(complaints)
      .values({ trackingId: `ADU-M-${++n}`, category: 'not_received', summary: 'Bantuan belum diterima', ...c })
      .returning({ id: complaints.id });
    if (verifiedAt) await db.insert(complaintEvents).values({ complaintId: row!.id, kind: 'status_change', fromStatus: 'received', toStatus: 'verified', createdAt: verifiedAt });
  };
  await complaint({ kecamatanId: sagulung, programId: pkh, status: 'answered', createdAt: wib('2026-11-02T09:00:00'), answeredAt: wib('2026-11-05T09:00:00') }, wib('2026-11-03T09:00:00'));
  await complaint({ kecamatanId: sagulung, status: 'closed', createdAt: wib('2026-10-28T09:00:00'), closedAt: wib('2026-11-02T10:00:00') });
  await complaint(
    { kecamatanId: sagulung, category: 'ppks', status: 'closed', createdAt: wib('2026-11-16T09:00:00'), answeredAt: wib('2026-11-18T09:00:00'), closedAt: wib('2026-11-20T09:00:00') },
    wib('2026-11-17T09:00:00'),
  );
  await complaint(
    { kecamatanId: nongsa, category: 'service', status: 'closed', createdAt: wib('2026-11-10T09:00:00'), answeredAt: wib('2026-11-12T09:00:00'), closedAt: wib('2026-11-12T10:00:00') },
    wib('2026-11-11T09:00:00'),
  );
  await complaint({ kecamatanId: null, category: 'other', createdAt: wib('2026-11-15T09:00:00') });

  // Findings: Sagulung opened 4 Nov (open); Nongsa opened in October and resolved 20 Nov, opened 6 Nov and
  // accepted the 7th; Sagulung opened in October, still open (neither).
  await db.insert(findings).values([
    { kind: 'duplicate_nik', key: 'm1', kecamatanId: sagulung, firstSeenAt: wib('2026-11-04T02:00:00') },
    { kind: 'duplicate_nik', key: 'm2', kecamatanId: nongsa, firstSeenAt: wib('2026-10-01T02:00:00'), status: 'resolved', resolvedAt: wib('2026-11-20T10:00:00') },
    { kind: 'duplicate_nik', key: 'm3', kecamatanId: nongsa, firstSeenAt: wib('2026-11-06T02:00:00'), status: 'accepted', resolvedAt: wib('2026-11-07T10:00:00') },
    { kind: 'duplicate_nik', key: 'm4', kecamatanId: sagulung, firstSeenAt: wib('2026-10-01T02:00:00') },
  ]);

  // Field visits: Sagulung 9 Nov (counted) and 30 Oct (not).
  const [worker] = await db.insert(staffUsers).values({ email: `tksk-${++n}@pintu.test`, name: 'Ani TKSK', passwordHash: 'x', role: 'field_officer' }).returning({ id: staffUsers.id });
  const [task] = await db
    .insert(fieldTasks)
    .values({ kind: 'finding', sourceId: 1, kecamatanId: sagulung, kelurahanId: Tembesi!, householdId: h1!, status: 'done', dueOn: '2026-11-20' })
    .returning({ id: fieldTasks.id });
  await db.insert(fieldVisits).values([
    { taskId: task!.id, staffId: worker!.id, clientKey: `v${++n}`, outcome: 'found', visitedAt: wib('2026-11-09T10:00:00') },
    { taskId: task!.id, staffId: worker!.id, clientKey: `v${++n}`, outcome: 'found', visitedAt: wib('2026-10-30T10:00:00') },
  ]);

  // Ratings: Sagulung 4 and 5 in November, 1 in October (left out); Nongsa 3 in November.
  await db.insert(satisfaction).values([
    { service: 'complaint', kecamatanId: sagulung, score: 4, askedAt: wib('2026-11-05T10:00:00'), answeredAt: wib('2026-11-05T11:00:00') },
    { service: 'collection', kecamatanId: sagulung, programId: pkh, score: 5, askedAt: wib('2026-11-20T10:00:00'), answeredAt: wib('2026-11-20T11:00:00') },
    { service: 'complaint', kecamatanId: sagulung, score: 1, askedAt: wib('2026-10-05T10:00:00'), answeredAt: wib('2026-10-05T11:00:00') },
    { service: 'complaint', kecamatanId: nongsa, score: 3, askedAt: wib('2026-11-12T10:00:00'), answeredAt: wib('2026-11-12T11:00:00') },
  ]);
  return { sagulung, nongsa, pkh, bpnt };
}
