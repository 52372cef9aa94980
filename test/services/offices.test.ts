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
        nameEn: o.nameEn === null ? null : expect.any(String),
        address: expect.any(String),
        hours: expect.any(String),
        hoursEn: o.hoursEn === null ? null : expect.any(String),
        schedule: o.schedule === null ? null : expect.any(Array),
        phone: o.phone === null ? null : expect.any(String),
        kecamatan: o.kecamatan === null ? null : expect.any(String),
      });
    }
    expect(offices[0]!.hours).toMatch(/\d{2}\.\d{2}/);
    // The demo office keeps its hours as data too: Monday–Thursday 08–16, Friday 08–16.30.
    expect(offices[0]!.schedule).toEqual([
      { days: [1, 2, 3, 4], opens: '08:00', closes: '16:00' },
      { days: [5], opens: '08:00', closes: '16:30' },
    ]);
  });
});
