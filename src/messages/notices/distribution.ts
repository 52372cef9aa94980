// What residents read about a distribution, in their chat's language: the invitation (with its QR image
// and the four answers), a moved or cancelled event, a reminder. Dates in the office's form and zone.
// The answer buttons carry the invitation id ("inv:12:confirm"), so they work whenever the resident presses
// them, however long after, wherever the chat is (flows/invitations.ts takes them).

import type { Locale } from '../../domain/vocabulary.ts';
import type { Option, OutboundMessage } from '../types.ts';
import { formatDate, formatDateTime, formatTime, todayIn } from '../../domain/dates.ts';
import { formatInvitationCode, normalizeInvitationCode } from '../../domain/invitation-code.ts';
import type { Translator } from '../../i18n.ts';
import { INVITATION_ACTIONS, INVITATION_CHOICE_PREFIX, invitationChoice } from '../choices.ts';
import { templateParams } from './template-parameters.ts';

/**
 * The QR image that goes with every message showing one invitation — the invitation pushed by the office and
 * the one a resident opens in the chat alike: the canonical code (no dash, upper case, whatever form `code`
 * came in), drawn into a PNG only when sent (outbox/images.ts).
 */
export function invitationQr(code: string): Pick<OutboundMessage, 'qrCode'> {
  return { qrCode: normalizeInvitationCode(code) };
}

// Stand-ins while a shared invitation text is rendered; never shown.
const CODE_MARK = '\u0001CODE\u0001';
const ID_MARK_LENGTH = `${INVITATION_CHOICE_PREFIX}0`.length;

export interface SlotPlace {
  startsAt: Date;
  endsAt: Date;
  siteName: string;
  siteAddress: string;
  latitude: string | number | null;
  longitude: string | number | null;
}

export interface InvitationFacts extends SlotPlace {
  invitationId: number;
  code: string;
  round: number;
  eventTitle: string;
  /** The title for English-reading residents; absent or null: the title serves both languages. */
  eventTitleEn?: string | null;
  programName: string;
}

export function mapLink(latitude: string | number | null, longitude: string | number | null): string | undefined {
  if (latitude === null || longitude === null) return undefined;
  const lat = Number(latitude);
  const lng = Number(longitude);
  if (!Number.isFinite(lat) || !Number.isFinite(lng)) return undefined;
  return `https://maps.google.com/?q=${lat},${lng}`;
}

export class Texts {
  private readonly t: ReturnType<Translator['getFixedT']>;
  constructor(
    i18n: Translator,
    readonly locale: Locale,
    readonly timeZone: string,
  ) {
    this.t = i18n.getFixedT(locale);
  }

  text(key: string, vars?: Record<string, unknown>): string {
    return this.t(`distribution:${key}`, vars ?? {}) as string;
  }

  /** "Kamis, 10 Desember 2026 pukul 08.00 WIB sampai 10.00 WIB". */
  when(startsAt: Date, endsAt: Date): string {
    return this.text('range', { start: formatDateTime(startsAt, this.locale, this.timeZone), end: formatTime(endsAt, this.locale, this.timeZone) });
  }

  /** The event's title in this text's language (the Indonesian one when it has no English form). */
  title(f: { eventTitle: string; eventTitleEn?: string | null }): string {
    return this.locale === 'en' && f.eventTitleEn ? f.eventTitleEn : f.eventTitle;
  }

  day(instant: Date): string {
    return formatDate(todayIn(this.timeZone, instant), this.locale);
  }

  actionOptions(invitationId: number): Option[] {
    return INVITATION_ACTIONS.map((a) => ({ id: invitationChoice(invitationId, a), label: this.text(`actions.${a}`) }));
  }

  private readonly skeletons = new Map<string, OutboundMessage>();

  /**
   * The invitation: QR image with the full text as its caption, the answers as buttons. Households of one
   * slot and round read the same words but for their code, so the words are rendered once per slot and
   * the code and id put in: a city-wide round renders a few dozen texts, not 100,000.
   */
  invitation(f: InvitationFacts): OutboundMessage {
    const key = [f.round, this.title(f), f.programName, f.startsAt.getTime(), f.endsAt.getTime(), f.siteName, f.siteAddress, f.latitude, f.longitude].join('\u0002');
    let skeleton = this.skeletons.get(key);
    if (!skeleton) this.skeletons.set(key, (skeleton = this.renderInvitation({ ...f, code: CODE_MARK, invitationId: 0 })));
    const code = formatInvitationCode(f.code);
    return {
      text: skeleton.text.replaceAll(CODE_MARK, code),
      options: skeleton.options!.map((o) => ({ id: `${INVITATION_CHOICE_PREFIX}${f.invitationId}${o.id.slice(ID_MARK_LENGTH)}`, label: o.label })),
      ...invitationQr(f.code),
      template: { kind: 'invitation', params: skeleton.template!.params.map((p) => p.replaceAll(CODE_MARK, code)) },
    };
  }

  private renderInvitation(f: InvitationFacts): OutboundMessage {
    const code = f.code;
    const when = this.when(f.startsAt, f.endsAt);
    const lines = [this.text('invite.heading'), this.title(f)];
    if (f.round > 1) lines.push(this.text('invite.round', { round: f.round }), this.text('invite.roundNote'));
    lines.push(
      '',
      this.text('invite.intro', { program: f.programName }),
      this.text('invite.when', { when }),
      this.text('invite.site', { site: f.siteName }),
      this.text('invite.address', { address: f.siteAddress }),
    );
    const url = mapLink(f.latitude, f.longitude);
    if (url) lines.push(this.text('invite.map', { url }));
    lines.push('', this.text('invite.code', { code }), this.text('invite.bring', { code }), '', this.text('invite.ask'));
    // Templates have a fixed number of parameters: the round is always one of them.
    const round = this.text('invite.round', { round: f.round });
    return {
      text: lines.join('\n'),
      options: this.actionOptions(f.invitationId),
      template: { kind: 'invitation', params: templateParams('invitation', { eventTitle: this.title(f), when, place: `${f.siteName}, ${f.siteAddress}`, code, round }) },
    };
  }

  moved(f: InvitationFacts): OutboundMessage {
    const when = this.when(f.startsAt, f.endsAt);
    const code = formatInvitationCode(f.code);
    return {
      text: [this.text('moved.text', { title: this.title(f), when, site: `${f.siteName}, ${f.siteAddress}`, code }), this.text('moved.ask')].join('\n\n'),
      options: this.actionOptions(f.invitationId),
      template: { kind: 'notice', params: templateParams('notice', { text: this.text('moved.text', { title: this.title(f), when, site: f.siteName, code }) }) },
    };
  }

  cancelled(f: { eventTitle: string; eventTitleEn?: string | null; code: string; day: Date; reason: string }): OutboundMessage {
    const text = this.text('cancelled.text', { title: this.title(f), day: this.day(f.day), reason: f.reason, code: formatInvitationCode(f.code) });
    return { text, template: { kind: 'notice', params: templateParams('notice', { text }) } };
  }

  reminder(offset: 'H-3' | 'H-1' | 'H0', f: InvitationFacts): OutboundMessage {
    const when = this.when(f.startsAt, f.endsAt);
    const code = formatInvitationCode(f.code);
    const head = this.text(`reminder.${offset}`, { title: this.title(f) });
    return {
      text: [head, this.text('reminder.details', { when, site: `${f.siteName}, ${f.siteAddress}`, code })].join('\n'),
      options: this.actionOptions(f.invitationId),
      template: { kind: 'reminder', params: templateParams('reminder', { eventTitle: this.title(f), when, siteName: f.siteName, code }) },
    };
  }
}

/** One Texts per language, made on demand. */
export function textsFor(i18n: Translator, timeZone: string, defaultLocale: Locale) {
  const cache = new Map<Locale, Texts>();
  return (language: string | null): Texts => {
    const locale: Locale = language === 'en' || language === 'id' ? language : defaultLocale;
    let t = cache.get(locale);
    if (!t) cache.set(locale, (t = new Texts(i18n, locale, timeZone)));
    return t;
  };
}
