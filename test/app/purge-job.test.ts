import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startJobs } from '../../src/app/jobs.ts';
import { auditLog, contacts, messages } from '../../src/db/schema/index.ts';
import { createLogger } from '../../src/log.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

// The housekeeping every process runs purges on start and then hourly, with MESSAGE_RETENTION_MONTHS.

async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('the purge did not run');
    await new Promise((r) => setTimeout(r, 50));
  }
}

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
}, 60_000);
afterAll(() => database.dispose());

describe('the purge job', () => {
  it('runs at start with the retention it is given', async () => {
    const now = new Date('2026-11-24T02:00:00Z');
    const [c] = await database.db.insert(contacts).values({ channel: 'webchat', externalId: `job-${Date.now()}` }).returning({ id: contacts.id });
    const row = (createdAt: Date) => ({ contactId: c!.id, channel: 'webchat' as const, direction: 'in' as const, kind: 'text' as const, body: 'x', createdAt });
    await database.db.insert(messages).values([row(new Date('2026-08-01T00:00:00Z')), row(new Date('2026-11-01T00:00:00Z'))]);

    const jobs = startJobs(database, createLogger('silent'), 3_600_000, { clock: () => now, timeZone: 'Asia/Jakarta' }, [], { messageMonths: 3 });
    try {
      await until(async () => (await database.db.select().from(auditLog).where(eq(auditLog.action, 'rights.purge'))).length === 1, 20_000);
    } finally {
      jobs.stop();
    }
    const left = await database.db.select({ createdAt: messages.createdAt }).from(messages);
    expect(left.map((m) => m.createdAt.toISOString())).toEqual(['2026-11-01T00:00:00.000Z']);
  });
});
