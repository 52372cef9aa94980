import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/i18n.ts';
import { textsFor, type InvitationFacts } from '../../src/messages/notices/distribution.ts';

// The invitation, its reminder and the cancellation speak of the event by the title in the chat's language:
// the English form the office gave it, or the Indonesian title when it gave none.

const i18n = await createI18n('id');
const texts = textsFor(i18n, 'Asia/Jakarta', 'id');

const facts = (eventTitleEn: string | null): InvitationFacts => ({
  invitationId: 7,
  code: 'K7MQ4XRT',
  round: 1,
  eventTitle: 'Penyaluran Program Sembako (BPNT) 2026 Tahap IV',
  eventTitleEn,
  programName: 'Program Sembako (BPNT)',
  startsAt: new Date('2026-12-17T02:00:00Z'),
  endsAt: new Date('2026-12-17T04:00:00Z'),
  siteName: 'Kantor Camat Batam Kota',
  siteAddress: 'Jl. Raja Haji Fisabilillah',
  latitude: 1.13,
  longitude: 104.05,
});

describe('event titles in the reader’s language', () => {
  it('an English chat reads the English title, in the text and in the template’s parameters', () => {
    const m = texts('en').invitation(facts('Food aid distribution, 2026 stage IV'));
    expect(m.text).toContain('Food aid distribution, 2026 stage IV');
    expect(m.text).not.toContain('Tahap IV');
    expect(m.template?.params).toContain('Food aid distribution, 2026 stage IV');
    expect(texts('en').reminder('H-1', facts('Food aid distribution, 2026 stage IV')).text).toContain('Food aid distribution');
  });

  it('an Indonesian chat reads the Indonesian title; without an English form, so does an English chat', () => {
    expect(texts('id').invitation(facts('Food aid distribution, 2026 stage IV')).text).toContain('Penyaluran Program Sembako (BPNT) 2026 Tahap IV');
    expect(texts('en').invitation(facts(null)).text).toContain('Penyaluran Program Sembako (BPNT) 2026 Tahap IV');
    const cancelled = texts('en').cancelled({ eventTitle: 'Penyaluran X', eventTitleEn: 'Distribution X', code: 'K7MQ4XRT', day: new Date('2026-12-17T02:00:00Z'), reason: 'flood' });
    expect(cancelled.text).toContain('Distribution X');
  });
});
