import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  attachments,
  auditLog,
  contacts,
  identityCodes,
  identityLookupLimits,
  identityMemberChecks,
  messages,
  outbox,
  sessions,
} from '../../../src/db/schema/index.ts';
import { addDays, todayIn } from '../../../src/domain/dates.ts';
import { purgeExpired, retentionCutoff } from '../../../src/services/rights/purge.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/db.ts';

// The purge deletes exactly what has outlived its use, on PGlite and on real Postgres (TEST_DATABASE_URL).

const NOW = new Date('2026-11-24T02:00:00Z');
const TZ = 'Asia/Jakarta';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const ago = (ms: number) => new Date(NOW.getTime() - ms);
/** MESSAGE_RETENTION_MONTHS = 12: history before this goes. */
const CUTOFF = new Date('2025-11-24T02:00:00Z');

let database: TestDatabase;
const db = () => database.db;
const kept: Record<string, number> = {};
const gone: Record<string, number> = {};

async function contact(name: string) {
  const [c] = await db().insert(contacts).values({ channel: 'webchat', externalId: `purge-${name}-${Date.now()}` }).returning({ id: contacts.id });
  return c!.id;
}

async function message(contactId: number, createdAt: Date, direction: 'in' | 'out' = 'in') {
  const [m] = await db().insert(messages).values({ contactId, channel: 'webchat', direction, kind: 'text', body: 'isi', createdAt }).returning({ id: messages.id });
  return m!.id;
}

async function outRow(contactId: number, createdAt: Date, status: 'pending' | 'sent' | 'failed', broadcastId: number | null = null) {
  const [o] = await db()
    .insert(outbox)
    .values({ contactId, channel: 'webchat', payload: { text: 'isi' }, priority: 1, status, notBefore: createdAt, createdAt, broadcastId })
    .returning({ id: outbox.id });
  return o!.id;
}

beforeAll(async () => {
  database = await createTestDatabase();
  const [c1, c2, c3] = [await contact('a'), await contact('b'), await contact('c')];

  // Sessions: one expired two days ago goes; one expired an hour ago and one still open stay.
  await db().insert(sessions).values([
    { contactId: c1, flow: 'menu', step: 'main', data: {}, expiresAt: ago(2 * DAY) },
    { contactId: c2, flow: 'menu', step: 'main', data: {}, expiresAt: ago(HOUR) },
    { contactId: c3, flow: 'menu', step: 'main', data: {}, expiresAt: new Date(NOW.getTime() + 30 * 60_000) },
  ]);

  // History: older than a year goes, with the outbox's sent copy; a line whose message still waits stays.
  gone.oldIn = await message(c1, new Date('2025-10-01T00:00:00Z'));
  gone.oldSent = await message(c1, new Date('2025-10-02T00:00:00Z'), 'out');
  gone.oldSentRow = await outRow(c1, new Date('2025-10-02T00:00:00Z'), 'sent');
  kept.oldUnsent = await message(c1, new Date('2025-10-03T00:00:00Z'), 'out');
  kept.oldUnsentRow = await outRow(c1, new Date('2025-10-03T00:00:00Z'), 'pending');
  kept.oldBroadcastRow = await outRow(c2, new Date('2025-10-04T00:00:00Z'), 'sent', 7);
  kept.recent = await message(c1, new Date('2026-10-01T00:00:00Z'));
  kept.recentFailedRow = await outRow(c1, new Date('2026-10-01T00:00:00Z'), 'failed');
  gone.justBefore = await message(c2, new Date(CUTOFF.getTime() - 1000));
  kept.justAfter = await message(c2, new Date(CUTOFF.getTime() + 1000));
  // A complaint photo pointing at an old message keeps its complaint, without the pointer.
  gone.withPhoto = await message(c2, new Date('2025-09-01T00:00:00Z'));
  const [photo] = await db().insert(attachments).values({ messageId: gone.withPhoto, mimeType: 'image/jpeg' }).returning({ id: attachments.id });
  kept.photo = photo!.id;

  // Identity codes: expired more than a day ago go.
  await db().insert(identityCodes).values([
    { purpose: 'counter', contactId: c1, code: 'GONE01', createdAt: ago(3 * DAY), expiresAt: ago(2 * DAY) },
    { purpose: 'counter', contactId: c1, code: 'KEEP01', createdAt: ago(2 * HOUR), expiresAt: ago(HOUR) },
    { purpose: 'counter', contactId: c1, code: 'KEEP02', createdAt: NOW, expiresAt: new Date(NOW.getTime() + HOUR) },
  ]);

  // Which chat checked whom: older than two days go (the limit counts today only).
  const today = todayIn(TZ, NOW);
  await db().insert(identityMemberChecks).values([
    { memberId: 1, day: addDays(today, -3), contactId: c1 },
    { memberId: 1, day: addDays(today, -3), contactId: c2 },
    { memberId: 1, day: addDays(today, -2), contactId: c1 },
    { memberId: 2, day: today, contactId: c1 },
  ]);

  // Lookup counters: a window (an hour at most) that ended more than a day ago goes.
  await db().insert(identityLookupLimits).values([
    { key: 'chat:gone', windowStart: ago(26 * HOUR), count: 3 },
    { key: 'chat:keep', windowStart: ago(24 * HOUR + 30 * 60_000), count: 3 },
    { key: 'city:lookups', windowStart: ago(60_000), count: 9 },
  ]);
}, 120_000);
afterAll(() => database.dispose());

describe('purgeExpired', () => {
  it('deletes exactly what outlived its use, in batches, and audits the counts', async () => {
    const r = await purgeExpired(db(), { now: NOW, retentionMonths: 12, timeZone: TZ, batch: 2 });
    expect(r).toEqual({ sessions: 1, messages: 4, outbox: 1, identityCodes: 1, memberChecks: 2, lookupLimits: 1 });

    const ids = (rows: { id: number }[]) => rows.map((x) => x.id).sort((a, b) => a - b);
    expect(ids(await db().select({ id: messages.id }).from(messages))).toEqual([kept.oldUnsent, kept.recent, kept.justAfter].sort((a, b) => a! - b!));
    expect(ids(await db().select({ id: outbox.id }).from(outbox))).toEqual([kept.oldUnsentRow, kept.oldBroadcastRow, kept.recentFailedRow].sort((a, b) => a! - b!));
    expect((await db().select().from(sessions)).map((s) => s.expiresAt.getTime()).sort()).toEqual([ago(HOUR).getTime(), NOW.getTime() + 30 * 60_000]);
    expect((await db().select().from(identityCodes)).map((c) => c.code).sort()).toEqual(['KEEP01', 'KEEP02']);
    expect((await db().select().from(identityMemberChecks)).map((c) => c.day).sort()).toEqual([addDays(todayIn(TZ, NOW), -2), todayIn(TZ, NOW)]);
    expect((await db().select().from(identityLookupLimits)).map((l) => l.key).sort()).toEqual(['chat:keep', 'city:lookups']);
    const [photo] = await db().select().from(attachments).where(eq(attachments.id, kept.photo!));
    expect(photo!.messageId).toBeNull();

    const audits = await db().select().from(auditLog).where(eq(auditLog.action, 'rights.purge'));
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ actorKind: 'system', details: { ...r, retentionMonths: 12 } });
  });

  it('finds nothing more the second time, and says nothing', async () => {
    const r = await purgeExpired(db(), { now: NOW, retentionMonths: 12, timeZone: TZ, batch: 2 });
    expect(r).toEqual({ sessions: 0, messages: 0, outbox: 0, identityCodes: 0, memberChecks: 0, lookupLimits: 0 });
    expect(await db().select().from(auditLog).where(eq(auditLog.action, 'rights.purge'))).toHaveLength(1);
  });

  it('takes the retention from the setting: one month leaves only the last month', async () => {
    const r = await purgeExpired(db(), { now: NOW, retentionMonths: 1, timeZone: TZ });
    // The recent message (October 2026) goes; the line of the message still waiting never does.
    expect(r.messages).toBe(2);
    const left = await db().select({ id: messages.id }).from(messages);
    expect(left.map((m) => m.id)).toEqual([kept.oldUnsent]);
    // The failed row of October goes; the broadcast's row and the one still waiting stay.
    expect(r.outbox).toBe(1);
    expect((await db().select({ id: outbox.id }).from(outbox)).map((o) => o.id).sort((a, b) => a - b)).toEqual([kept.oldUnsentRow, kept.oldBroadcastRow]);
  });
});

describe('retentionCutoff', () => {
  it('goes back whole calendar months, to the last day of a shorter month', () => {
    expect(retentionCutoff(NOW, 12)).toEqual(CUTOFF);
    expect(retentionCutoff(new Date('2026-03-31T10:00:00Z'), 1)).toEqual(new Date('2026-02-28T10:00:00Z'));
    expect(retentionCutoff(new Date('2026-01-15T00:00:00Z'), 13)).toEqual(new Date('2024-12-15T00:00:00Z'));
  });
});
