import type { TFunction } from 'i18next';
import type { ProgramField, ProgramInput, ProgramProblem } from '../../../../domain/program-input.ts';
import { PROGRAM_NAME_MAX, PROGRAM_TEXT_MAX } from '../../../../domain/program-input.ts';
import { BENEFIT_PERIODS, BENEFIT_TYPES, BIDANG, PROGRAM_UNITS, type Locale } from '../../../../domain/vocabulary.ts';
import type { RuleImpact } from '../../../../services/programs/impact.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, Shell } from '../../shell/layout.tsx';
import { NoticeLine, type Notice } from './shared.tsx';

// A program's form, new or edited: identity, benefit, eligibility rules, and the words the chat's FAQ reads.
// "Lihat dampak" posts the same form back and shows, above it and before anything is saved, how many enrolled
// families the rules would make ineligible and how many would newly become eligible; "Simpan" saves. Each
// problem is shown next to its field, and all of them at the top, with what was typed kept.

export interface ProgramFormProps {
  t: TFunction;
  locale: Locale;
  session: Session;
  /** Null: a new program. */
  programId: number | null;
  input: ProgramInput;
  /** The other programs' codes, for "not together with". */
  otherCodes: string[];
  /** The bidang the officer may choose (the admin: every one, and none). */
  bidangChoices: (string | null)[];
  problems: ProgramProblem[];
  impact?: RuleImpact | undefined;
  notice?: Notice | undefined;
}

const num = (n: number | null) => (n === null ? '' : String(n));

export function ProgramFormPage(p: ProgramFormProps) {
  const { t, locale, input } = p;
  const title = p.programId === null ? t('programs:form.titleNew') : t('programs:form.titleEdit', { code: input.code });
  const action = p.programId === null ? '/console/programs' : `/console/programs/${p.programId}`;
  const problemOf = (f: ProgramField) => p.problems.find((x) => x.field === f);
  const errId = (f: ProgramField) => `pg-${f}-error`;
  const Err = ({ f }: { f: ProgramField }) => {
    const x = problemOf(f);
    return x ? (
      <p class="error" id={errId(f)}>
        {t(`programs:problems.${x.field}.${x.problem}`)}
      </p>
    ) : null;
  };
  const described = (f: ProgramField) => (problemOf(f) ? { 'aria-describedby': errId(f), 'aria-invalid': 'true' } : {});
  const Text = ({ f, value, type = 'text', required = false, max, inputmode }: { f: ProgramField; value: string; type?: string; required?: boolean; max?: number; inputmode?: 'numeric' }) => (
    <div class="field">
      <label for={`pg-${f}`}>{t(`programs:fields.${f}`)}</label>
      <input id={`pg-${f}`} name={f} type={type} value={value} required={required} maxlength={max} inputmode={inputmode} {...described(f)} />
      <Err f={f} />
    </div>
  );
  const Area = ({ f, value }: { f: ProgramField; value: string | null }) => (
    <div class="field">
      <label for={`pg-${f}`}>{t(`programs:fields.${f}`)}</label>
      <textarea id={`pg-${f}`} name={f} rows={3} maxlength={PROGRAM_TEXT_MAX} {...described(f)}>
        {value ?? ''}
      </textarea>
      <Err f={f} />
    </div>
  );
  const Select = ({ f, value, options }: { f: ProgramField; value: string | null; options: { value: string; label: string }[] }) => (
    <div class="field">
      <label for={`pg-${f}`}>{t(`programs:fields.${f}`)}</label>
      <select id={`pg-${f}`} name={f} {...described(f)}>
        {options.map((o) => (
          <option value={o.value} selected={(value ?? '') === o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <Err f={f} />
    </div>
  );
  return (
    <Shell t={t} locale={locale} title={title} session={p.session} here={p.programId === null ? '/console/programs/new' : `/console/programs/${p.programId}`}>
      <p>
        <a href="/console/programs">{t('programs:back')}</a>
      </p>
      <h1>{title}</h1>
      <NoticeLine notice={p.notice} />
      {p.problems.length > 0 ? (
        <div class="error" role="alert" data-testid="program-problems">
          <p>{t('programs:form.problemsTitle')}</p>
          <ul>
            {p.problems.map((x) => (
              <li data-field={x.field}>{t(`programs:problems.${x.field}.${x.problem}`)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {p.impact ? (
        <section class="card" aria-labelledby="h-impact" data-testid="impact">
          <h2 id="h-impact">{t('programs:impact.title')}</h2>
          <p class="meta">{t('programs:impact.intro')}</p>
          <dl class="facts">
            <dt>{t('programs:impact.lost')}</dt>
            <dd data-testid="impact-lost">{p.impact.enrolledNowIneligible.toLocaleString(locale === 'en' ? 'en-US' : 'id-ID')}</dd>
            <dt>{t('programs:impact.gained')}</dt>
            <dd data-testid="impact-gained">{p.impact.newlyEligible.toLocaleString(locale === 'en' ? 'en-US' : 'id-ID')}</dd>
          </dl>
          <p>{t('programs:impact.confirm')}</p>
        </section>
      ) : null}
      <form method="post" action={action} class="card">
        <Csrf session={p.session} />
        <fieldset>
          <legend>{t('programs:form.identity')}</legend>
          {p.programId === null ? (
            <Text f="code" value={input.code} required max={20} />
          ) : (
            <p class="meta">
              {t('programs:fields.code')}: <strong>{input.code}</strong> — {t('programs:form.codeFixed')}
            </p>
          )}
          <Text f="name" value={input.name} required max={PROGRAM_NAME_MAX} />
          <Text f="nameEn" value={input.nameEn ?? ''} max={PROGRAM_NAME_MAX} />
          <Text f="agency" value={input.agency} required max={PROGRAM_NAME_MAX} />
          <Select f="bidang" value={input.bidang} options={p.bidangChoices.map((b) => ({ value: b ?? '', label: b ?? t('programs:form.none') }))} />
          <Text f="funder" value={input.funder} required max={PROGRAM_NAME_MAX} />
          <Text f="targetPerYear" value={num(input.targetPerYear)} inputmode="numeric" />
        </fieldset>
        <fieldset>
          <legend>{t('programs:form.benefit')}</legend>
          <Select f="benefitType" value={input.benefitType} options={BENEFIT_TYPES.map((v) => ({ value: v, label: t(`programs:benefitTypes.${v}`) }))} />
          <Text f="benefitAmount" value={num(input.benefitAmount)} inputmode="numeric" />
          <Select f="benefitPeriod" value={input.benefitPeriod} options={BENEFIT_PERIODS.map((v) => ({ value: v, label: t(`programs:periods.${v}`) }))} />
          <Select f="unit" value={input.unit} options={PROGRAM_UNITS.map((v) => ({ value: v, label: t(`programs:units.${v}`) }))} />
          <Text f="maxAmount" value={num(input.maxAmount)} inputmode="numeric" />
        </fieldset>
        <fieldset>
          <legend>{t('programs:form.rules')}</legend>
          <p class="meta">{t('programs:form.rulesHint')}</p>
          <Text f="maxDesil" value={num(input.maxDesil)} inputmode="numeric" />
          <Text f="minAge" value={num(input.minAge)} inputmode="numeric" />
          <div class="field">
            <label>
              <input type="checkbox" name="requiresDisability" value="1" checked={input.requiresDisability} /> {t('programs:fields.requiresDisability')}
            </label>
          </div>
          <fieldset {...(problemOf('excludedWith') ? { 'aria-describedby': errId('excludedWith') } : {})}>
            <legend>{t('programs:fields.excludedWith')}</legend>
            <p class="meta">{t('programs:form.excludedHint')}</p>
            {p.otherCodes.map((code) => (
              <label>
                <input type="checkbox" name="excludedWith" value={code} checked={input.excludedWith.includes(code)} /> {code}{' '}
              </label>
            ))}
            <Err f="excludedWith" />
          </fieldset>
          <Text f="activeFrom" value={input.activeFrom ?? ''} type="date" />
          <Text f="activeUntil" value={input.activeUntil ?? ''} type="date" />
        </fieldset>
        <fieldset>
          <legend>{t('programs:form.faq')}</legend>
          <Area f="requirements" value={input.requirements} />
          <Area f="requirementsEn" value={input.requirementsEn} />
          <Area f="schedule" value={input.schedule} />
          <Area f="scheduleEn" value={input.scheduleEn} />
        </fieldset>
        <button class="secondary" type="submit" name="intent" value="preview">
          {t('programs:form.preview')}
        </button>{' '}
        <button class="primary" type="submit" name="intent" value="save">
          {t('programs:form.save')}
        </button>
      </form>
    </Shell>
  );
}

/** The bidang an officer may give a program: the admin every one and none; a head of bidang only theirs. */
export function bidangChoicesFor(session: Session): (string | null)[] {
  return session.actor.role === 'admin' ? [null, ...BIDANG] : session.actor.bidang ? [session.actor.bidang] : [];
}
