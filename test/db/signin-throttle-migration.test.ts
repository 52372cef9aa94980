import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';

// 0010_signin_throttle gives API tokens made before expiry existed an expiry of their own: a year after their
// creation, but never less than 30 days after the upgrade (a live integration must not stop on the day of the
// upgrade). Replayed here on the schema as it was before, with tokens of different ages in it.

const folder = fileURLToPath(new URL('../../src/db/migrations/', import.meta.url));
const files = readdirSync(folder).filter((f) => /^\d{4}_.*\.sql$/.test(f)).sort();
const statements = (file: string) => readFileSync(folder + file, 'utf8').split('--> statement-breakpoint').map((s) => s.trim()).filter(Boolean);

describe('migration 0010_signin_throttle', () => {
  const pg = new PGlite();
  afterAll(() => pg.close());

  it('gives existing tokens created_at + 1 year, and at least 30 days from the upgrade', async () => {
    const before = files.filter((f) => f < '0010');
    expect(files).toContain('0010_signin_throttle.sql');
    for (const f of before) for (const s of statements(f)) await pg.exec(s);
    await pg.exec(`
      insert into api_tokens (name, token_hash, role, created_at) values
        ('recent', 'h1', 'viewer', now() - interval '2 months'),
        ('old', 'h2', 'viewer', now() - interval '3 years'),
        ('almost', 'h3', 'viewer', now() - interval '360 days');
    `);
    for (const s of statements('0010_signin_throttle.sql')) await pg.exec(s);

    const { rows } = await pg.query<{ name: string; year_after: boolean; days_left: number }>(`
      select name, expires_at = created_at + interval '1 year' as year_after,
             round(extract(epoch from expires_at - now()) / 86400)::int as days_left
      from api_tokens order by name`);
    expect(rows).toEqual([
      { name: 'almost', year_after: false, days_left: 30 },
      { name: 'old', year_after: false, days_left: 30 },
      { name: 'recent', year_after: true, days_left: expect.any(Number) },
    ]);
    expect(rows[2]!.days_left).toBeGreaterThan(290);
    // And from now on the column may not be left empty.
    await expect(pg.exec(`insert into api_tokens (name, token_hash, role) values ('x', 'h4', 'viewer')`)).rejects.toThrow(/expires_at/);
  });
});
