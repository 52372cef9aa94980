import { formatDate, formatDateTime } from '../../../../domain/dates.ts';
import type { HouseholdPage as Data } from '../../../../services/residents/household.ts';
import { OPENING_VALID_MS } from '../../../../services/residents/scope.ts';
import { Shell } from '../../shell/layout.tsx';
import { householdPath, RESIDENTS_PATH, type PageContext } from './context.ts';

// One family on one page (issue 18): the card, the members, programs, invitations, linked chats, complaints
// and findings, each section a table with its own heading so a screen reader can jump between them. Only
// what services/residents/household.ts hands over, already masked where it must be.

/** Where the in-person link starts with a member chosen (http/console/identity reads `member`). */
export const inPersonLinkPath = (memberId: number) => `/console/identity/link?member=${memberId}`;

export interface HouseholdPageProps {
  page: PageContext;
  data: Data;
  /** The officer may link chats in person (services/identity/in-person.ts). */
  mayLink: boolean;
  /** The officer may open the data quality page. */
  mayReadFindings: boolean;
}

export function HouseholdPage({ page, data, mayLink, mayReadFindings }: HouseholdPageProps) {
  const { t, locale, timeZone } = page;
  const h = data.household;
  const empty = (text: string) => <p class="meta">{text}</p>;
  return (
    <Shell t={t} locale={locale} title={t('residents:household.title')} session={page.session} here={householdPath(h.id)}>
      <p>
        <a href={RESIDENTS_PATH}>{t('residents:back')}</a>
      </p>
      <h1>{t('residents:household.title')}</h1>
      <p class="meta">{t('residents:household.openedFor', { minutes: OPENING_VALID_MS / 60_000 })}</p>
      <div class="card">
        <dl class="facts" data-testid="household-facts">
          <dt>{t('residents:household.kk')}</dt>
          <dd>{h.maskedKk}</dd>
          <dt>{t('residents:household.address')}</dt>
          <dd>{h.address}</dd>
          <dt>{t('residents:household.rtRw')}</dt>
          <dd>{`${h.rt ?? '-'}/${h.rw ?? '-'}`}</dd>
          <dt>{t('residents:household.kelurahan')}</dt>
          <dd>{h.kelurahan}</dd>
          <dt>{t('residents:household.kecamatan')}</dt>
          <dd>{h.kecamatan}</dd>
          <dt>{t('residents:household.desil')}</dt>
          <dd>{h.desil ?? t('residents:household.noDesil')}</dd>
        </dl>
      </div>

      <section aria-labelledby="members-heading">
        <h2 id="members-heading">{t('residents:members.title')}</h2>
        {/* On a phone a table scrolls sideways inside its own box (style-phone.ts): tabindex lets a keyboard scroll it; so for the tables below with no link in them. */}
        <table data-testid="members" tabindex={0}>
          <thead>
            <tr>
              <th scope="col">{t('residents:members.name')}</th>
              <th scope="col">{t('residents:members.nik')}</th>
              <th scope="col">{t('residents:members.age')}</th>
              <th scope="col">{t('residents:members.relationship')}</th>
              <th scope="col">{t('residents:members.disability')}</th>
              <th scope="col">{t('residents:members.deceased')}</th>
              <th scope="col">{t('residents:members.notes')}</th>
            </tr>
          </thead>
          <tbody>
            {data.members.map((m) => (
              <tr>
                <td>{m.name}</td>
                <td>{m.maskedNik}</td>
                <td>{t('residents:members.ageYears', { age: m.age })}</td>
                <td>{t(`residents:relationships.${m.relationship}`)}</td>
                <td>{m.disability ? t('residents:members.yes') : t('residents:members.no')}</td>
                <td>{m.deceased ? t('residents:members.yes') : t('residents:members.no')}</td>
                <td>
                  {m.missing ? <span>{t('residents:members.missing')} </span> : null}
                  {mayLink && !m.deceased ? (
                    <a href={inPersonLinkPath(m.id)} aria-label={t('residents:members.linkFor', { name: m.name })}>
                      {t('residents:members.link')}
                    </a>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="enrollments-heading">
        <h2 id="enrollments-heading">{t('residents:enrollments.title')}</h2>
        {data.enrollments.length === 0 ? (
          empty(t('residents:enrollments.none'))
        ) : (
          <table data-testid="enrollments" tabindex={0}>
            <thead>
              <tr>
                <th scope="col">{t('residents:enrollments.program')}</th>
                <th scope="col">{t('residents:enrollments.for')}</th>
                <th scope="col">{t('residents:enrollments.status')}</th>
                <th scope="col">{t('residents:enrollments.period')}</th>
              </tr>
            </thead>
            <tbody>
              {data.enrollments.map((e) => (
                <tr>
                  <td>{`${e.programCode} — ${locale === 'en' && e.programNameEn ? e.programNameEn : e.programName}`}</td>
                  <td>{e.memberName ?? t('residents:enrollments.family')}</td>
                  <td>{t(`residents:enrollmentStatuses.${e.status}`)}</td>
                  <td>{e.period}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="invitations-heading">
        <h2 id="invitations-heading">{t('residents:invitations.title')}</h2>
        {data.invitations.length === 0 ? (
          empty(t('residents:invitations.none'))
        ) : (
          <table data-testid="invitations" tabindex={0}>
            <thead>
              <tr>
                <th scope="col">{t('residents:invitations.event')}</th>
                <th scope="col">{t('residents:invitations.date')}</th>
                <th scope="col">{t('residents:invitations.round')}</th>
                <th scope="col">{t('residents:invitations.status')}</th>
                <th scope="col">{t('residents:invitations.code')}</th>
                <th scope="col">{t('residents:invitations.proxy')}</th>
              </tr>
            </thead>
            <tbody>
              {data.invitations.map((i) => (
                <tr>
                  <td>{locale === 'en' && i.eventTitleEn ? i.eventTitleEn : i.eventTitle}</td>
                  <td>{formatDate(i.eventDate, locale)}</td>
                  <td>{i.round}</td>
                  <td>{t(`residents:invitationStatuses.${i.status}`)}</td>
                  <td>{i.maskedCode}</td>
                  <td>
                    {i.proxy
                      ? t('residents:invitations.proxyText', { name: i.proxy.maskedName, relation: i.proxy.relation, status: t(`residents:proxyStatuses.${i.proxy.status}`) })
                      : t('residents:invitations.noProxy')}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="chats-heading">
        <h2 id="chats-heading">{t('residents:chats.title')}</h2>
        {data.chats.length === 0 ? (
          empty(t('residents:chats.none'))
        ) : (
          <table data-testid="chats" tabindex={0}>
            <thead>
              <tr>
                <th scope="col">{t('residents:chats.channel')}</th>
                <th scope="col">{t('residents:chats.id')}</th>
                <th scope="col">{t('residents:chats.member')}</th>
                <th scope="col">{t('residents:chats.proof')}</th>
                <th scope="col">{t('residents:chats.linkedAt')}</th>
              </tr>
            </thead>
            <tbody>
              {data.chats.map((c) => (
                <tr>
                  <td>{t(`residents:channels.${c.channel}`)}</td>
                  <td>{c.maskedId}</td>
                  <td>{c.memberName}</td>
                  <td>{t(`residents:proofs.${c.proof}`)}</td>
                  <td>{formatDateTime(c.linkedAt, locale, timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="complaints-heading">
        <h2 id="complaints-heading">{t('residents:complaints.title')}</h2>
        {data.complaints.length === 0 ? (
          empty(t('residents:complaints.none'))
        ) : (
          <table data-testid="complaints">
            <thead>
              <tr>
                <th scope="col">{t('residents:complaints.tracking')}</th>
                <th scope="col">{t('residents:complaints.status')}</th>
                <th scope="col">{t('residents:complaints.createdAt')}</th>
              </tr>
            </thead>
            <tbody>
              {data.complaints.map((c) => (
                <tr>
                  <td>
                    <a href={`/console/complaints/${c.id}`}>{c.trackingId}</a>
                  </td>
                  <td>{t(`residents:complaintStatuses.${c.status}`)}</td>
                  <td>{formatDateTime(c.createdAt, locale, timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="findings-heading">
        <h2 id="findings-heading">{t('residents:findings.title')}</h2>
        {data.findings.length === 0 ? (
          empty(t('residents:findings.none'))
        ) : (
          <table data-testid="findings">
            <thead>
              <tr>
                <th scope="col">{t('residents:findings.kind')}</th>
                <th scope="col">{t('residents:findings.status')}</th>
                <th scope="col">{t('residents:findings.lastSeen')}</th>
              </tr>
            </thead>
            <tbody>
              {data.findings.map((f) => (
                <tr>
                  <td>
                    {/* The quality page lists findings by kind and kelurahan; the family's row is among them. */}
                    {mayReadFindings ? (
                      <a href={`/console/quality?kind=${f.kind}&status=${f.status}&kelurahan=${h.kelurahanId}`} aria-label={`${t(`quality:kinds.${f.kind}`)} — ${t('residents:findings.view')}`}>
                        {t(`quality:kinds.${f.kind}`)}
                      </a>
                    ) : (
                      t(`quality:kinds.${f.kind}`)
                    )}
                  </td>
                  <td>{t(`residents:findingStatuses.${f.status}`)}</td>
                  <td>{formatDateTime(f.lastSeenAt, locale, timeZone)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </Shell>
  );
}
