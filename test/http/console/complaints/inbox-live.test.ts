import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { PASSWORD, signedIn } from '../../../helpers/console.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { EventReader } from '../../../helpers/sse.ts';
import { contact, file, kecamatanId } from '../../../services/complaints/lifecycle.fixtures.ts';
import { seedDemoCity } from '../../../../src/services/seed/index.ts';

// The inbox refreshes its list by itself: its stream says `changed` when a complaint in the officer's scope
// is filed or changes, and stays quiet for one outside it.

describe('console: the live inbox', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 5 });
    t = await createTestApp(database);
    base = await t.listen();
    const sagulung = await kecamatanId(database.db, 'Sagulung');
    await createStaffUser(database.db, 'system', { email: 'op.sagulung@inbox.test', name: 'Operator Sagulung', role: 'operator', kecamatanId: sagulung, password: PASSWORD });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('signals a new complaint in scope, not one of another kecamatan, and the page carries the live list', async () => {
    const db = database.db;
    const { b } = await signedIn(base, 'op.sagulung@inbox.test');

    const page = await (await b.fetch('/console/complaints?queue=unassigned')).text();
    expect(page).toContain('sse-connect="/console/complaints/events"');
    expect(page).toMatch(/id="inbox-list" hx-get="\/console\/complaints\?queue=unassigned"/);

    const controller = new AbortController();
    const res = await b.fetch('/console/complaints/events', { signal: controller.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = new EventReader(res);
    try {
      expect(await events.until('ready')).toContain('ready');

      await file(db, { contactId: await contact(db), kecamatanId: await kecamatanId(db, 'Nongsa'), now: new Date(), summary: 'Di Nongsa' });
      expect(await events.until('changed', 2_500)).not.toContain('changed'); // another kecamatan: nothing to refresh

      const filed = await file(db, { contactId: await contact(db), kecamatanId: await kecamatanId(db, 'Sagulung'), now: new Date(), summary: 'Di Sagulung' });
      expect(await events.until('changed')).toContain('changed');
      const list = await (await b.fetch("/console/complaints?queue=unassigned")).text();
      expect(list).toContain(filed.trackingId);
      // The same list as a spreadsheet, from the link next to the count.
      expect(list).toContain('href="/console/complaints.csv?queue=unassigned"');
      const csv = await (await b.fetch('/console/complaints.csv?queue=unassigned')).text();
      expect(csv).toContain(filed.trackingId);
      expect(csv).not.toContain('Di Nongsa');
    } finally {
      controller.abort();
    }
  }, 60_000);
});
