import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOffices } from '../../src/services/offices.ts';
import type { TestDatabase } from '../helpers/db.ts';
import { seededDatabase } from './seeded.ts';

let database: TestDatabase;
beforeAll(async () => {
  database = await seededDatabase(0);
});
afterAll(async () => {
  await database?.dispose();
});

describe('listOffices', () => {
  it('lists the offices of the demo city with address, hours and kecamatan', async () => {
    const offices = await listOffices(database.db);
    expect(offices.length).toBeGreaterThan(0);
    for (const o of offices) {
      expect(o).toEqual({
        id: expect.any(Number),
        name: expect.any(String),
        address: expect.any(String),
        hours: expect.any(String),
        phone: o.phone === null ? null : expect.any(String),
        kecamatan: o.kecamatan === null ? null : expect.any(String),
      });
    }
    expect(offices[0]!.hours).toMatch(/\d{2}\.\d{2}/);
  });
});
