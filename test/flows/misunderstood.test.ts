import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createI18n, type Translator } from '../../src/i18n.ts';
import { driver, flowHarness, type FlowHarness } from '../helpers/chat.ts';

// Issue 17: "a misunderstanding re-sends only the options". An answer a step cannot use gets the reason and the
// question again, with its buttons, not everything the step showed before it (the invitation, its QR and the
// documents list); a change of language, though, shows all of it again in the new language.
const SITI = { nik: '2171105203850001', birth: '12-03-1985' };

describe('an answer the step cannot use', () => {
  let h: FlowHarness;
  let i18n: Translator;
  beforeAll(async () => {
    h = await flowHarness({ households: 20 });
    i18n = await createI18n('id');
  }, 120_000);
  afterAll(() => h.dispose());
  const t = (key: string) => i18n.t(key, { lng: 'id' });

  it('gets the question and its buttons again, not the invitation a second time', async () => {
    const c = driver(h.engine);
    await c.start('id');
    await c.verify(SITI.nik, SITI.birth);
    await c.say('menu');
    await c.choose('invitations');
    expect(c.replies.length).toBeGreaterThanOrEqual(3); // the invitation, what to bring, the question
    const shown = c.replies.length;
    await c.say('zzzz qqq');
    expect(c.replies.length).toBeLessThan(shown);
    expect(c.replies.at(-1)!.text).toBe(t('invitations:actions.prompt'));
    expect(c.options).toEqual(['confirm', 'slot', 'decline', 'proxy', 'cmd:menu']);
    expect(c.text).not.toContain(t('invitations:detail.bring'));
    // The buttons still answer: "2" is the second of them.
    await c.say('2');
    expect(c.text).not.toBe(t('chat:notUnderstood'));
  });

  it('shows all of it again when the resident switches language', async () => {
    const c = driver(h.engine);
    await c.start('id');
    await c.verify(SITI.nik, SITI.birth);
    await c.say('menu');
    await c.choose('invitations');
    const shown = c.replies.length;
    await c.say('English');
    expect(c.replies.length).toBeGreaterThanOrEqual(shown);
    expect(c.text).toContain(i18n.t('invitations:detail.bring', { lng: 'en' }));
  });
});
