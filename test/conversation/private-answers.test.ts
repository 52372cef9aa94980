import { and, asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, messages } from '../../src/db/schema/index.ts';
import { driver, flowHarness, type FlowHarness } from '../helpers/chat.ts';

// Issue 15: staff pages showed "2171********0003" next to the birth date the resident typed, which together
// are the whole NIK. The answers to the identity questions now keep only their shape in the history, and a
// NIK anywhere shows its area and serial, never the birth date in its middle.

const SITI = { nik: '2171105203850001', birth: '12-03-1985' };

describe('what the conversation history keeps of document facts', () => {
  let h: FlowHarness;
  beforeAll(async () => {
    h = await flowHarness({ households: 10 });
  });
  afterAll(async () => h?.dispose());

  // What the resident sent, as stored (the bot's own prompts quote an example date).
  const bodies = async (chatId: string) => {
    const [c] = await h.database.db.select({ id: contacts.id }).from(contacts).where(eq(contacts.externalId, chatId));
    const rows = await h.database.db.select({ body: messages.body }).from(messages).where(and(eq(messages.contactId, c!.id), eq(messages.direction, 'in'))).orderBy(asc(messages.id));
    return rows.map((r) => r.body ?? '');
  };

  it('keeps only the shape of the NIK, KK and birth date answers, even mistyped ones', async () => {
    const c = driver(h.engine);
    await c.start('id');
    await c.say('cek bansos');
    await c.say(SITI.nik);
    await c.say('21711052038500'); // a mistyped KK number, too short for the NIK masking to see
    await c.verify(SITI.nik, SITI.birth, { knowledgeOnly: true });
    const all = (await bodies(c.chatId)).join('\n');
    expect(all).not.toContain('1985');
    expect(all).not.toContain('12-03');
    expect(all).not.toContain('052038');
    expect(all).not.toContain('21711052038500');
    expect(all).toContain('••-••-••••');
    expect(all).toContain('••••••••••••••'); // the mistyped KK number
    expect(all).toContain('••••••******••••'); // the NIK: masked, then its shape
    // What the resident typed outside those questions is kept as written.
    expect(all).toContain('cek bansos');
  });
});
