import { sql } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idArray, textArray } from '../../src/db/arrays.ts';
import { preparePolicy } from '../../src/db/prepare.ts';
import { rowsOf } from '../../src/db/rows.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

describe('which statements are prepared', () => {
  it('a text with parameters the second time it is seen, never one without, nor one with many parameters', () => {
    const p = preparePolicy(3);
    expect(p.admit('select 1', [])).toBe(false);
    expect(p.admit('select $1', [1])).toBe(false);
    expect(p.admit('select $1', [2])).toBe(true);
    expect(p.admit('select $1', [3])).toBe(true);
    const many = Array.from({ length: 101 }, (_, i) => i);
    expect(p.admit('insert many', many)).toBe(false);
    expect(p.admit('insert many', many)).toBe(false);
  });

  it('no more texts than the cap, whatever comes: the ones admitted stay, new ones run unprepared', () => {
    const p = preparePolicy(3);
    for (let i = 0; i < 10; i++) for (let k = 0; k < 3; k++) p.admit(`select ${i} + $1`, [k]);
    expect(p.size).toBe(3);
    expect(p.admit('select 0 + $1', [1])).toBe(true);
    expect(p.admit('select 9 + $1', [1])).toBe(false);
  });
});

describe('on the database', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  }, 60_000);
  afterAll(async () => {
    await database?.dispose();
  });

  it('a statement repeated in a transaction is prepared on its connection (PostgreSQL), and answers the same', async () => {
    const answers = await database.db.transaction(async (tx) => {
      const out: unknown[] = [];
      for (let i = 0; i < 3; i++) out.push(rowsOf<{ x: number }>(await tx.execute(sql`select ${i}::int * 2 as x`))[0]!.x);
      const prepared = rowsOf<{ statement: string }>(await tx.execute(sql`select statement from pg_prepared_statements where statement like ${'%* 2 as x'}`));
      return { out, prepared: prepared.map((r) => r.statement) };
    });
    expect(answers.out).toEqual([0, 2, 4]);
    if (database.kind === 'postgres') expect(answers.prepared).toEqual(['select $1::int * 2 as x']);
  });

  it("the dispatcher's lane plans each statement at every execution, still prepared; the main pool keeps its plans", async () => {
    const mode = async (db: typeof database.db) => rowsOf<{ plan_cache_mode: string }>(await db.execute(sql`show plan_cache_mode`))[0]!.plan_cache_mode;
    const lane = database.lane(1);
    if (database.kind === 'postgres') {
      // A plan kept from when the outbox was empty walked every pending row for every other (issue 21).
      expect(await mode(lane.db)).toBe('force_custom_plan');
      expect(await mode(database.db)).toBe('auto');
      const answers = await lane.db.transaction(async (tx) => {
        const out: number[] = [];
        for (let i = 0; i < 3; i++) out.push(rowsOf<{ x: number }>(await tx.execute(sql`select ${i}::int * 3 as x`))[0]!.x);
        const prepared = rowsOf<{ n: number }>(await tx.execute(sql`select count(*)::int as n from pg_prepared_statements where statement like ${'%* 3 as x'}`));
        return { out, prepared: prepared[0]!.n };
      });
      expect(answers).toEqual({ out: [0, 3, 6], prepared: 1 });
    } else {
      expect(lane.db).toBe(database.db);
    }
  });

  it('a list is one parameter: the same text for any length, NULLs and quotes kept, order kept', async () => {
    const texts = new Set<string>();
    for (const ids of [[1], [3, 1, 2], []]) {
      const q = sql`select array_to_string(${idArray(ids)}, ',') as ids`;
      texts.add(new PgDialect().sqlToQuery(q).sql);
      expect(rowsOf<{ ids: string }>(await database.db.execute(q))[0]!.ids).toBe(ids.join(','));
    }
    expect(texts.size).toBe(1);
    const values = ['a', null, "O'Brien", 'x,"y"}', ''];
    const rows = rowsOf<{ v: string | null; i: number | string }>(await database.db.execute(sql`select v, i from unnest(${textArray(values)}) with ordinality as t(v, i) order by i`));
    expect(rows.map((r) => r.v)).toEqual(values);
  });
});
