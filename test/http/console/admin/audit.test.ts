import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../../../src/services/actor.ts';
import { createApiToken } from '../../../../src/services/staff/api-tokens.ts';
import { audit } from '../../../../src/services/audit.ts';
import { createStaffUser } from '../../../../src/services/staff/users.ts';
import { createTestApp, type TestApp } from '../../../helpers/app.ts';
import { createTestDatabase, type TestDatabase } from '../../../helpers/db.ts';
import { PASSWORD, signedIn } from '../../../helpers/console.ts';

// The audit log page: who, what, when (WIB), from where, filters and "older" pages.

// 10 January 2026, 00:30 WIB, and 9 January 2026, 23:30 WIB: one hour apart, on two office days.
const JAN10_0030_WIB = new Date('2026-01-09T17:30:00Z');
const JAN09_2330_WIB = new Date('2026-01-09T16:30:00Z');
const ids = (page: string) => [...page.matchAll(/data-audit-id="(\d+)"/g)].map((m) => Number(m[1]));

describe('console admin: audit log', () => {
  let database: TestDatabase;
  let t: TestApp;
  let base: string;
  let reader: Actor;
  let clerk: Actor;

  beforeAll(async () => {
    database = await createTestDatabase();
    t = await createTestApp(database);
    base = await t.listen();
    const db = database.db;
    const a = await createStaffUser(db, 'system', { email: 'admin@pintu.test', name: 'Admin <i>Audit</i>', role: 'admin', password: PASSWORD });
    reader = { kind: 'staff', id: a.id, role: 'admin', kecamatanId: null, bidang: null, ip: '10.1.2.3' };
    const c = await createStaffUser(db, 'system', { email: 'clerk@pintu.test', name: 'Juru Tulis', role: 'operator', password: PASSWORD });
    clerk = { kind: 'staff', id: c.id, role: 'operator', kecamatanId: null, bidang: null };
    const token = await createApiToken(db, reader, { name: 'Dasbor Kota', role: 'viewer' });

    await audit(db, reader, { action: 'member.read', entity: 'member', entityId: 42, details: { householdId: 7 }, at: JAN10_0030_WIB });
    await audit(db, { kind: 'api', id: token.id, role: 'viewer', kecamatanId: null, bidang: null }, { action: 'report.read', entity: 'report', at: JAN09_2330_WIB });
    await audit(db, { kind: 'resident', contactId: 11 }, { action: 'identity.lookup', entity: 'member', at: JAN09_2330_WIB });
    await audit(db, { kind: 'system' }, { action: 'complaint.autoclose', entity: 'complaint', entityId: 'ADU-2601-00001', at: JAN09_2330_WIB });
    for (let i = 1; i <= 60; i++) await audit(db, clerk, { action: 'bulk.test', entity: 'thing', entityId: i });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
    await database?.dispose();
  });

  it('shows who, what, entity, when in WIB, IP and details, escaped', async () => {
    const { b } = await signedIn(base, 'admin@pintu.test');
    const res = await b.fetch('/console/admin/audit?from=2026-01-09&to=2026-01-10');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(ids(page)).toHaveLength(4);
    expect(page).toContain(`Admin &lt;i&gt;Audit&lt;/i&gt; (#${reader.id})`);
    expect(page).not.toContain('<i>Audit</i>');
    expect(page).toContain('Token API Dasbor Kota');
    expect(page).toContain('Warga (kontak #11)');
    expect(page).toContain('Sistem');
    expect(page).toContain('10.1.2.3');
    expect(page).toContain('{&quot;householdId&quot;:7}');
    expect(page).toContain('ADU-2601-00001');
    expect(page).toMatch(/<td>10 Jan 2026[^<]*00[.:]30[^<]*<\/td>/); // 17:30 UTC is after midnight in Batam
  });

  it('filters by the office’s calendar day, action, entity and staff member', async () => {
    const { b } = await signedIn(base, 'admin@pintu.test');
    const jan10 = await (await b.fetch('/console/admin/audit?from=2026-01-10&to=2026-01-10')).text();
    expect(ids(jan10)).toHaveLength(1);
    expect(jan10).toContain('member.read');
    const jan9 = await (await b.fetch('/console/admin/audit?from=2026-01-09&to=2026-01-09')).text();
    expect(ids(jan9)).toHaveLength(3);
    // (The action select lists every action the log holds; the rows are what the dates chose.)
    expect(jan9).toContain('<option value="member.read">member.read</option>');
    expect(jan9.slice(jan9.indexOf('data-testid="audit"'))).not.toContain('member.read');

    const byAction = await (await b.fetch('/console/admin/audit?action=identity.lookup')).text();
    expect(ids(byAction)).toHaveLength(1);
    expect(byAction).toContain('Warga (kontak #11)');
    // The action is a select of the actions the log holds, the chosen one selected.
    expect(byAction).toMatch(/<option value="identity.lookup" selected/);
    for (const a of ['member.read', 'report.read', 'complaint.autoclose', 'bulk.test']) expect(byAction).toContain(`<option value="${a}">${a}</option>`);
    const combined = await (await b.fetch(`/console/admin/audit?action=member.read&staff=${reader.id}&from=2026-01-10&to=2026-01-10`)).text();
    expect(ids(combined)).toHaveLength(1);
    expect(ids(await (await b.fetch(`/console/admin/audit?action=member.read&staff=${reader.id}&from=2026-01-09&to=2026-01-09`)).text())).toEqual([]);
    const byEntity = await (await b.fetch('/console/admin/audit?entity=member')).text();
    expect(ids(byEntity)).toHaveLength(2);
    const byStaff = await (await b.fetch(`/console/admin/audit?staff=${reader.id}&entity=member`)).text();
    expect(ids(byStaff)).toHaveLength(1);
    expect(byStaff).toMatch(new RegExp(`<option value="${reader.id}" selected`));
    const none = await (await b.fetch('/console/admin/audit?action=nothing.here')).text();
    expect(ids(none)).toEqual([]);
    expect(none).toContain('Tidak ada catatan yang cocok.');
    // Garbage in the query is ignored, not an error.
    expect((await b.fetch("/console/admin/audit?from=2026-02-31&to=x&staff=-1&action=%3Cscript%3E&before=abc")).status).toBe(200);
  });

  it('pages to older entries with before=<id>, keeping the filters', async () => {
    const { b } = await signedIn(base, 'admin@pintu.test');
    const first = await (await b.fetch('/console/admin/audit?action=bulk.test')).text();
    const page1 = ids(first);
    expect(page1).toHaveLength(50);
    expect([...page1].sort((x, y) => y - x)).toEqual(page1); // newest first
    const older = /href="([^"]*before=[^"]*)" rel="next"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(older).toBe(`/console/admin/audit?action=bulk.test&before=${page1.at(-1)}`);
    const second = await (await b.fetch(older!)).text();
    const page2 = ids(second);
    expect(page2).toHaveLength(10);
    expect(Math.max(...page2)).toBeLessThan(Math.min(...page1));
    expect(second).not.toContain('rel="next"');
    expect(second).toContain('href="/console/admin/audit?action=bulk.test"'); // back to the newest
  });

  it('is for audit.read only', async () => {
    const { b } = await signedIn(base, 'clerk@pintu.test');
    const res = await b.fetch('/console/admin/audit');
    expect(res.status).toBe(403);
    expect(await res.text()).not.toContain('bulk.test');
  });
});
