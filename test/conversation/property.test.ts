import { Writable } from 'node:stream';
import { eq } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flows } from '../../flows/index.ts';
import { createEngine, type Engine } from '../../src/conversation/engine.ts';
import type { Inbound } from '../../src/conversation/types.ts';
import { contacts, sessions } from '../../src/db/schema/index.ts';
import { createI18n } from '../../src/i18n.ts';
import { createLogger } from '../../src/log.ts';
import { seedDemoCity } from '../../src/services/seed/index.ts';
import { testBinder } from '../helpers/services.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/db.ts';

// Thousands of random inputs at random points of random conversations: the engine must never throw,
// never fall back to its "something went wrong" apology (that would hide a failing step), always answer
// (unless an officer holds the chat), and leave the session on a step that exists.

const OPTION_IDS = [
  'id', 'en', 'aid', 'invitations', 'complaint', 'status', 'faq', 'officer', 'language', 'cmd:menu', 'cmd:cancel',
  'usulan', 'sanggahan', 'not_received', 'site_too_far', 'wrong_data', 'service', 'other', 'documents', 'office',
  'confirm', 'slot', 'decline', 'proxy', 'yes', 'no', 'send', 'skip', 'again', 'sick', 'at_sea', 'nonexistent-option',
];
const WORDS = ['menu', 'batal', 'cancel', 'bahasa', 'language', 'bantuan', 'help', 'cek bansos', 'mau lapor', 'undangan saya', 'kapan pencairan', 'lapr', 'ya', 'tidak', 'lewati'];
const DEMO = ['2171105203850001', '2171060501520002', '2171112007900003', '2171034110780004', '2171105203850099', '1234'];
const DATES = ['12-03-1985', '12/3/1985', '12 Maret 1985', '12 march 1985', '120385', '31-02-1990', '05-01-1952', '2099-01-01'];

const input: fc.Arbitrary<Omit<Inbound, 'channel' | 'chatId'>> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 60 }).map((text) => ({ kind: 'text' as const, text })) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }).map((text) => ({ kind: 'text' as const, text })) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 6000 }).map((n) => ({ kind: 'text' as const, text: 'ب'.repeat(n) })) },
  { weight: 3, arbitrary: fc.constantFrom(...OPTION_IDS).map((choice) => ({ kind: 'choice' as const, choice })) },
  { weight: 3, arbitrary: fc.constantFrom(...WORDS, ...DEMO, ...DATES).map((text) => ({ kind: 'text' as const, text })) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 12 }).map((n) => ({ kind: 'text' as const, text: String(n) })) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      { kind: 'voice' as const },
      { kind: 'sticker' as const },
      { kind: 'photo' as const, media: { mimeType: 'image/jpeg', size: 1000 } },
      { kind: 'location' as const, location: { latitude: 1.13, longitude: 104.05 } },
      { kind: 'contact' as const },
      { kind: 'other' as const },
    ),
  },
);

describe('the engine under random input', () => {
  let database: TestDatabase;
  let engine: Engine;
  let apology: string[];
  const errors: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    await seedDemoCity(database, { households: 50 });
    const i18n = await createI18n('id');
    apology = [i18n.t('chat:error', { lng: 'id' }), i18n.t('chat:error', { lng: 'en' })];
    const sink = new Writable({
      write(chunk, _e, cb) {
        errors.push(String(chunk));
        cb();
      },
    });
    engine = createEngine({ database, flows, i18n, logger: createLogger('error', sink), defaultLocale: 'id', timeZone: 'Asia/Jakarta', bindServices: await testBinder() });
  }, 120_000);
  afterAll(() => database.dispose());

  it('always answers sensibly and keeps a valid session', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(input, { minLength: 1, maxLength: 14 }), async (inputs) => {
        const chatId = `prop-${++run}`;
        for (const i of inputs) {
          const { replies } = await engine.handle({ channel: 'webchat', chatId, ...i } as Inbound);
          const [contact] = await database.db.select().from(contacts).where(eq(contacts.externalId, chatId));
          if (replies.length === 0) expect(contact!.handoverAt).not.toBeNull();
          for (const r of replies) {
            expect(typeof r.text).toBe('string');
            expect(r.text.length).toBeGreaterThan(0);
            expect(apology).not.toContain(r.text);
            expect(r.text).not.toMatch(/\{\{|\}\}|undefined|NaN|\[object Object\]/);
            // A missing translation comes back as its bare key ("aid:askNik").
            expect(r.text).not.toMatch(/^[a-z]+:[\w.]+$/);
          }
          const [s] = await database.db.select().from(sessions).where(eq(sessions.contactId, contact!.id));
          expect(flows[s!.flow]?.steps[s!.step]).toBeDefined();
        }
        expect(errors).toEqual([]);
      }),
      { numRuns: 250 },
    );
  }, 600_000);
});
