import type { TFunction } from 'i18next';
import { LOCALES, type Locale } from '../../../../domain/vocabulary.ts';
import { FAQ_ANSWER_MAX, FAQ_KEY_MAX, FAQ_TITLE_MAX } from '../../../../services/faq/rules.ts';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf, PostButton } from '../../shell/layout.tsx';
import type { ListState } from '../skeleton.ts';
import { ErrorBox } from './fields.tsx';
import { ListPage } from './list-page.tsx';

// The FAQ page: one language at a time (links to the others), every topic with the words residents of that
// language see now and where they come from, hide/show, the form to add a topic; and the page that changes
// one topic's words in one language.

export type FaqDraft = { key: string; language: string; title: string; answer: string };

export interface FaqRow {
  key: string;
  title: string;
  answer: string;
  active: boolean;
  /** builtIn: locales' words; edited: a built-in with the staff's words; own: the office's topic; fallback: own, not yet in this language. */
  source: 'builtIn' | 'edited' | 'own' | 'fallback';
}

const snippet = (s: string) => (s.length > 200 ? `${s.slice(0, 200)}…` : s);

export interface FaqListProps {
  t: TFunction;
  session: Session;
  language: Locale;
  rows: FaqRow[];
  draft: FaqDraft;
  opts: ListState<FaqDraft>;
}

export function FaqList({ t, session, language, rows, draft, opts }: FaqListProps) {
  const base = (key: string) => `/console/admin/faq/${language}/${encodeURIComponent(key)}`;
  return (
    <ListPage
      intro={
        <>
          <p class="meta">{t('admin:faq.intro')}</p>
          <nav aria-label={t('admin:faq.languageNav')}>
            <p class="actions" data-testid="faq-languages">
              {LOCALES.map((l) => (
                <a href={`/console/admin/faq?language=${l}`} aria-current={l === language ? 'page' : undefined}>
                  {t(`admin:languages.${l}`)}
                </a>
              ))}
            </p>
          </nav>
          <h2>{t('admin:faq.showing', { language: t(`admin:languages.${language}`) })}</h2>
        </>
      }
      done={opts.done}
      errors={opts.errors}
      rows={
        <>
          <table data-testid="faq">
            <thead>
              <tr>
                <th>{t('admin:faq.key')}</th>
                <th>{t('admin:faq.titleField')}</th>
                <th>{t('admin:faq.answer')}</th>
                <th>{t('admin:faq.source')}</th>
                <th>{t('admin:faq.status')}</th>
                <th>{t('admin:users.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr data-faq-key={r.key} data-active={String(r.active)}>
                  <td>
                    <code>{r.key}</code>
                  </td>
                  <td lang={r.source === 'fallback' ? LOCALES[0] : language}>{r.title}</td>
                  <td class="text" lang={r.source === 'fallback' ? LOCALES[0] : language}>
                    {snippet(r.answer)}
                  </td>
                  <td>{t(`admin:faq.sources.${r.source}`)}</td>
                  <td>{r.active ? t('admin:faq.shown') : t('admin:faq.hidden')}</td>
                  <td class="actions">
                    <a href={base(r.key)}>{r.source === 'fallback' ? t('admin:faq.write') : t('admin:faq.edit')}</a>
                    <PostButton session={session} action={`${base(r.key)}/${r.active ? 'hide' : 'show'}`} label={r.active ? t('admin:faq.hide') : t('admin:faq.show')} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="meta">{t('admin:faq.officeNote')}</p>
        </>
      }
      create={{
        id: 'h-new-faq',
        title: t('admin:faq.create.title'),
        hint: t('admin:faq.create.hint'),
        form: (
          <form method="post" action="/console/admin/faq">
            <Csrf session={session} />
            <div class="field">
              <label for="f-key">{t('admin:faq.key')}</label>
              <input id="f-key" name="key" required maxlength={FAQ_KEY_MAX} pattern="[a-z0-9]+(-[a-z0-9]+)*" value={draft.key} />
            </div>
            <div class="field">
              <label for="f-language">{t('admin:canned.language')}</label>
              <select id="f-language" name="language">
                {LOCALES.map((l) => (
                  <option value={l} selected={l === draft.language}>
                    {t(`admin:languages.${l}`)}
                  </option>
                ))}
              </select>
            </div>
            <TextFields t={t} draft={draft} />
            <button class="primary" type="submit">
              {t('admin:faq.create.submit')}
            </button>
          </form>
        ),
      }}
    />
  );
}

/** Title and answer; `lang` marks them as written in the topic's language when it is known (the edit page). */
function TextFields({ t, draft, lang }: { t: TFunction; draft: FaqDraft; lang?: string }) {
  return (
    <>
      <div class="field">
        <label for="f-title">{t('admin:faq.titleField')}</label>
        <input id="f-title" name="title" lang={lang} required maxlength={FAQ_TITLE_MAX} value={draft.title} />
      </div>
      <div class="field">
        <label for="f-answer">{t('admin:faq.answer')}</label>
        <textarea id="f-answer" name="answer" lang={lang} required maxlength={FAQ_ANSWER_MAX} rows={8}>
          {draft.answer}
        </textarea>
      </div>
    </>
  );
}

export function FaqEdit({ t, session, draft, builtIn, errors }: { t: TFunction; session: Session; draft: FaqDraft; builtIn: boolean; errors: string[] }) {
  return (
    <>
      {errors.map((e) => (
        <ErrorBox text={e} />
      ))}
      {builtIn ? <p class="meta">{t('admin:faq.builtInHint')}</p> : null}
      <section class="card">
        <form method="post" action={`/console/admin/faq/${draft.language}/${encodeURIComponent(draft.key)}`}>
          <Csrf session={session} />
          <TextFields t={t} draft={draft} lang={draft.language} />
          <button class="primary" type="submit">
            {t('admin:faq.save')}
          </button>
        </form>
      </section>
      <p>
        <a href={`/console/admin/faq?language=${draft.language}`}>{t('admin:faq.back')}</a>
      </p>
    </>
  );
}
