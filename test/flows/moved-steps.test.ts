import { and, eq } from 'drizzle-orm';
import type { TFunction } from 'i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contacts, members, sessions } from '../../src/db/schema/index.ts';
import { createI18n } from '../../src/i18n.ts';
import { lastCodeSentTo } from '../helpers/codes.ts';
import { driver, flowHarness, type ChatDriver, type FlowHarness } from '../helpers/chat.ts';

// The identity steps lived in the aid flow and the kuasa steps in the invitations flow. A session saved at one
// of those places just before a release must carry on after it, where the steps are now.

const SITI = { nik: '2171105203850001', birth: '12-03-1985' };

let h: FlowHarness;
let t: TFunction;
let household: number;

beforeAll(async () => {
  h = await flowHarness();
  t = (await createI18n('id')).getFixedT('id');
  const [siti] = await h.database.db.select({ householdId: members.householdId }).from(members).where(eq(members.nik, SITI.nik));
  household = siti!.householdId;
}, 120_000);
afterAll(() => h.dispose());

/** Puts the chat's session where an older release would have left it. */
async function parkAt(c: ChatDriver, flow: string, step: string, data: Record<string, unknown>) {
  const [contact] = await h.database.db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.channel, 'webchat'), eq(contacts.externalId, c.chatId)));
  await h.database.db.update(sessions).set({ flow, step, data }).where(eq(sessions.contactId, contact!.id));
}

async function sessionOf(c: ChatDriver) {
  const [contact] = await h.database.db.select({ id: contacts.id }).from(contacts).where(and(eq(contacts.channel, 'webchat'), eq(contacts.externalId, c.chatId)));
  const [s] = await h.database.db.select().from(sessions).where(eq(sessions.contactId, contact!.id));
  return s!;
}

describe('sessions saved at the old places of moved steps', () => {
  it('aid.birth, on the way to the invitations: the check finishes and the invitation shows', async () => {
    const c = driver(h.engine);
    await c.start('id');
    await parkAt(c, 'aid', 'birth', { then: 'invitations', mode: 'nik', nik: SITI.nik });
    await c.say(SITI.birth);
    // Saved before the KK question existed: it is asked now, then the check runs as for anyone.
    expect(c.last.text).toBe(t('identity:kk.prompt'));
    await c.say('2171100207180005');
    h.clock.advance(61_000);
    await c.say(SITI.birth);
    expect(c.text).toContain(t('identity:knowledge.why'));
    // The code went to her registry phone with the answer to the date.
    expect(c.options).toContain('resend');
    await c.say((await lastCodeSentTo(h.database.db))!);
    expect(c.replies[0]!.text).toBe(t('identity:linked.code'));
    const [inv] = await h.services.invitations.upcomingInvitations(household, h.clock());
    expect(c.text).toContain(t('invitations:detail.code', { code: inv!.code }));
    expect((await sessionOf(c)).flow).toBe('invitations');
  });

  it('aid.nik: the NIK is taken there and the KK number is asked in the identity flow', async () => {
    const c = driver(h.engine);
    await c.start('id');
    await parkAt(c, 'aid', 'nik', { mode: 'nik' });
    await c.say(SITI.nik);
    expect(c.last.text).toBe(t('identity:kk.prompt'));
    expect(await sessionOf(c)).toMatchObject({ flow: 'identity', step: 'kk' });
  });

  it('invitations.proxyName: the name is taken and the kuasa goes on in the proxy flow', async () => {
    const c = driver(h.engine);
    await c.start('id');
    await c.verify(SITI.nik, SITI.birth);
    const [inv] = await h.services.invitations.upcomingInvitations(household, h.clock());
    await parkAt(c, 'invitations', 'proxyName', { view: 'one', invitationId: inv!.invitationId, proxy: {} });
    await c.say('Rahmat Hidayat');
    expect(c.last.text).toBe(t('invitations:proxy.nik', { name: 'Rahmat Hidayat' }));
    expect(await sessionOf(c)).toMatchObject({ flow: 'proxy', step: 'nik', data: { invitationId: inv!.invitationId, proxy: { name: 'Rahmat Hidayat' } } });
  });

  it('invitations.proxyPhoto still takes a photo', async () => {
    const c = driver(h.engine);
    await c.start('id');
    await c.verify(SITI.nik, SITI.birth);
    const [inv] = await h.services.invitations.upcomingInvitations(household, h.clock());
    const proxy = { name: 'Rahmat Hidayat', nik: '2171100306820001', relation: 'child', reason: 'sick' };
    await parkAt(c, 'invitations', 'proxyPhoto', { view: 'one', invitationId: inv!.invitationId, proxy });
    await c.send({ kind: 'photo', media: { mimeType: 'image/jpeg', size: 1000, ref: 'photo-1' } });
    expect(c.replies[0]!.text).toBe(t('invitations:proxy.photo.received'));
    expect(await sessionOf(c)).toMatchObject({ flow: 'proxy', step: 'confirm' });
  });
});
