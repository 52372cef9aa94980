import type { TFunction } from 'i18next';
import type { Locale } from '../../../../domain/vocabulary.ts';
import type { CounterMatch, InPersonRefusal } from '../../../../services/identity/in-person.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';

// The in-person link at the counter: the code the resident reads out and the NIK off their KTP; then the
// registry's masked facts to compare with the card and one button that links. Pure: no data access here.

export interface PageContext {
  t: TFunction;
  locale: Locale;
  session: Session;
}

export const LINK_PATH = '/console/identity/link';

/** A member chosen on a household's page (/console/residents): shown masked, posted by id, never by NIK. */
export interface ChosenMember {
  memberId: number;
  maskedName: string;
  maskedNik: string;
}

export interface LinkFormProps {
  page: PageContext;
  code?: string;
  nik?: string;
  error?: InPersonRefusal;
  done?: boolean;
  member?: ChosenMember | undefined;
}

/** The form: counter code and NIK; with the refusal of the last try, or the success of the last link. */
export function LinkFormPage({ page, code = '', nik = '', error, done, member }: LinkFormProps) {
  const { t, session } = page;
  return (
    <Shell t={t} locale={page.locale} title={t('identity_console:title')} session={session} here={LINK_PATH}>
      <h1>{t('identity_console:title')}</h1>
      <p>{t('identity_console:intro')}</p>
      {done ? (
        <p class="notice" role="status">
          {t('identity_console:linked')}
        </p>
      ) : null}
      {error ? (
        <p class="error" role="alert">
          {t(`identity_console:errors.${error}`)}
        </p>
      ) : null}
      <form method="post" action={`${LINK_PATH}/check`} class="card">
        <Csrf session={session} />
        <div class="field">
          <label for="code">{t('identity_console:code')}</label>
          <input id="code" name="code" value={code} required maxlength={12} autocomplete="off" autocapitalize="characters" spellcheck={false} aria-describedby="code-hint" />
          <p id="code-hint" class="meta">
            {t('identity_console:codeHint')}
          </p>
        </div>
        {member ? (
          <div class="field">
            <input type="hidden" name="member" value={String(member.memberId)} />
            <p>{t('residents:link.member', { name: member.maskedName, nik: member.maskedNik })}</p>
            <p class="meta">
              {t('residents:link.memberHint')} <a href={LINK_PATH}>{t('residents:link.typeNik')}</a>
            </p>
          </div>
        ) : (
          <div class="field">
            <label for="nik">{t('identity_console:nik')}</label>
            <input id="nik" name="nik" value={nik} required inputmode="numeric" maxlength={24} autocomplete="off" aria-describedby="nik-hint" />
            <p id="nik-hint" class="meta">
              {t('identity_console:nikHint')}
            </p>
          </div>
        )}
        <button class="primary" type="submit">
          {t('identity_console:check')}
        </button>
      </form>
    </Shell>
  );
}

/** The registry's masked facts for the officer to compare with the KTP, and the button that links. */
export function LinkConfirmPage({ page, match, code, nik, member }: { page: PageContext; match: CounterMatch; code: string; nik: string; member?: ChosenMember | undefined }) {
  const { t, session } = page;
  return (
    <Shell t={t} locale={page.locale} title={t('identity_console:confirmTitle')} session={session} here={LINK_PATH}>
      <h1>{t('identity_console:confirmTitle')}</h1>
      <p>{t('identity_console:compare')}</p>
      <div class="card">
        <dl class="facts">
          <dt>{t('identity_console:facts.name')}</dt>
          <dd>{match.maskedName}</dd>
          <dt>{t('identity_console:facts.birthDate')}</dt>
          <dd>{match.birthDate}</dd>
          <dt>{t('identity_console:facts.kelurahan')}</dt>
          <dd>{`${match.kelurahan}, ${match.kecamatan}`}</dd>
          <dt>{t('identity_console:facts.channel')}</dt>
          <dd>{match.channel}</dd>
        </dl>
      </div>
      {match.alreadyLinked ? <p class="warn">{t('identity_console:alreadyLinked')}</p> : null}
      <div class="actions">
        <form method="post" action={`${LINK_PATH}/confirm`}>
          <Csrf session={session} />
          <input type="hidden" name="code" value={code} />
          {member ? <input type="hidden" name="member" value={String(member.memberId)} /> : <input type="hidden" name="nik" value={nik} />}
          <button class="primary" type="submit">
            {t('identity_console:confirm')}
          </button>
        </form>
        <a href={LINK_PATH}>{t('identity_console:cancel')}</a>
      </div>
    </Shell>
  );
}

export function LinkForbiddenPage({ page }: { page: PageContext }) {
  const { t } = page;
  return (
    <Shell t={t} locale={page.locale} title={t('identity_console:forbidden')} session={page.session} here={LINK_PATH}>
      <h1>{t('identity_console:forbidden')}</h1>
    </Shell>
  );
}
