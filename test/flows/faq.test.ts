import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createI18n, type Translator } from '../../src/i18n.ts';
import type { Actor } from '../../src/services/actor.ts';
import { saveFaqEntry, setFaqActive } from '../../src/services/faq/entries.ts';
import { createStaffUser } from '../../src/services/staff/users.ts';
import { driver, flowHarness, type FlowHarness } from '../helpers/chat.ts';

// Issue 18: the chat's FAQ says what staff wrote on the admin FAQ page, in the resident's language, from the
// next message on: an edited built-in answer, a topic of the office's own, and nothing of a hidden topic.
describe('FAQ from the staff entries', () => {
  let h: FlowHarness;
  let i18n: Translator;
  let admin: Actor;
  beforeAll(async () => {
    h = await flowHarness({ households: 0 });
    i18n = await createI18n('id');
    const { id } = await createStaffUser(h.database.db, 'system', { email: 'admin.faq@test.local', name: 'Admin', role: 'admin' });
    admin = { kind: 'staff', id, role: 'admin', kecamatanId: null, bidang: null };
  }, 120_000);
  afterAll(() => h.dispose());

  const topicsOf = async (locale: 'id' | 'en') => {
    const chat = driver(h.engine);
    await chat.start(locale);
    await chat.choose('faq');
    return chat;
  };

  it('with no entries lists the built-in topics with the locale words', async () => {
    const chat = await topicsOf('id');
    expect(chat.options).toEqual(['documents', 'schedule', 'dtsen', 'proposal', 'office', 'cmd:menu']);
    await chat.choose('dtsen');
    expect(chat.replies[0]!.text).toBe(i18n.t('faq:answers.dtsen', { lng: 'id' }));
  });

  it('says an edited answer, shows a new topic, and leaves a hidden one out, per language', async () => {
    const db = h.database.db;
    expect(await saveFaqEntry(db, admin, { key: 'documents', language: 'id', title: 'Dokumen yang dibawa', answer: 'Mohon bawa KTP asli dan kode undangan saja.', mode: 'update' })).toMatchObject({ ok: true });
    expect(await saveFaqEntry(db, admin, { key: 'kks-hilang', language: 'id', title: 'Kartu KKS hilang', answer: 'Mohon lapor ke bank penyalur dengan membawa KTP dan KK.', mode: 'create' })).toMatchObject({ ok: true });
    expect(await saveFaqEntry(db, admin, { key: 'kks-hilang', language: 'en', title: 'Lost KKS card', answer: 'Please report it to the paying bank with your KTP and KK.', mode: 'create' })).toMatchObject({ ok: true });
    expect(await setFaqActive(db, admin, { key: 'dtsen', language: 'id', active: false, words: { title: i18n.t('faq:topics.dtsen', { lng: 'id' }), answer: i18n.t('faq:answers.dtsen', { lng: 'id' }) } })).toEqual({ ok: true });

    const chat = await topicsOf('id');
    expect(chat.options).toEqual(['documents', 'schedule', 'proposal', 'office', 'topic:kks-hilang', 'cmd:menu']);
    const labels = chat.replies.flatMap((r) => r.options ?? []).map((o) => o.label);
    expect(labels).toContain('Dokumen yang dibawa');
    expect(labels).toContain('Kartu KKS hilang');
    expect(labels).not.toContain(i18n.t('faq:topics.dtsen', { lng: 'id' }));
    await chat.choose('documents');
    expect(chat.replies[0]!.text).toBe('Mohon bawa KTP asli dan kode undangan saja.');
    await chat.choose('faq');
    await chat.choose('topic:kks-hilang');
    expect(chat.replies[0]!.text).toBe('Mohon lapor ke bank penyalur dengan membawa KTP dan KK.');
    // The hidden topic is not answered even when its button is pressed from an old message.
    await chat.choose('faq');
    await chat.choose('dtsen');
    expect(chat.text).not.toContain(i18n.t('faq:answers.dtsen', { lng: 'id' }));
    expect(chat.options).not.toContain('dtsen');

    // English: the Indonesian edit and hiding leave the English words alone; the new topic is in English.
    const en = await topicsOf('en');
    expect(en.options).toEqual(['documents', 'schedule', 'dtsen', 'proposal', 'office', 'topic:kks-hilang', 'cmd:menu']);
    await en.choose('documents');
    expect(en.replies[0]!.text).toBe(i18n.t('faq:answers.documents', { lng: 'en' }));
    await en.choose('faq');
    await en.choose('topic:kks-hilang');
    expect(en.replies[0]!.text).toBe('Please report it to the paying bank with your KTP and KK.');
  });

  it('follows a change at once: a topic shown again and one hidden', async () => {
    const db = h.database.db;
    expect(await setFaqActive(db, admin, { key: 'dtsen', language: 'id', active: true })).toEqual({ ok: true });
    expect(await setFaqActive(db, admin, { key: 'kks-hilang', language: 'id', active: false })).toEqual({ ok: true });
    const chat = await topicsOf('id');
    expect(chat.options).toEqual(['documents', 'schedule', 'dtsen', 'proposal', 'office', 'cmd:menu']);
  });

  it('answers a question asked in passing with the staff\'s words too', async () => {
    // "documents" was edited above: typed at the menu, the question gets the same answer as the FAQ button.
    const chat = driver(h.engine);
    await chat.start('id');
    await chat.say('dokumen apa saja yang harus dibawa?');
    expect(chat.text).toContain('Mohon bawa KTP asli dan kode undangan saja.');
    expect(chat.text).not.toContain(i18n.t('faq:answers.documents', { lng: 'id' }).split('\n')[0]!);
  });
});
