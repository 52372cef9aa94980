import type { TFunction } from 'i18next';
import { LOCALES, type Locale } from '../../../domain/vocabulary.ts';
import { listFaqEntries, saveFaqEntry, setFaqActive, type FaqEntry } from '../../../services/faq/entries.ts';
import { BUILT_IN_FAQ_KEYS, FAQ_ANSWER_MAX, FAQ_TITLE_MAX, faqProblems, isBuiltInFaqKey, type FaqProblem } from '../../../services/faq/rules.ts';
import type { AppDeps } from '../../context.ts';
import type { ConsoleContext } from '../shell/session.ts';
import { adminPage, formFields, notFoundPage, tOf } from './shared.tsx';
import { adminList, type ListState } from './skeleton.ts';
import { FaqEdit, FaqList, type FaqDraft, type FaqRow } from './views/faq.tsx';

// The chat's FAQ per language: the built-in topics with the words residents see now (the staff's, else
// locales/), the office's own topics, a form to add one, a page to change one, and hide/show. The words
// of a built-in topic come from the resident-facing locale of the language shown, not the officer's.

const DONE = ['create', 'update', 'hide', 'show'] as const;

const isLocale = (s: string | undefined): s is Locale => (LOCALES as readonly string[]).includes(s ?? '');

function problemText(t: TFunction, p: FaqProblem): string {
  return t(`admin:faq.problems.${p.field}_${p.problem}`, { max: p.field === 'title' ? FAQ_TITLE_MAX : FAQ_ANSWER_MAX });
}

/** The topics of one language as the page lists them, in the order residents see them. */
function rowsFor(deps: AppDeps, entries: FaqEntry[], language: Locale): FaqRow[] {
  const words = deps.i18n.getFixedT(language);
  const mine = entries.filter((e) => e.language === language);
  const rows: FaqRow[] = BUILT_IN_FAQ_KEYS.map((key) => {
    const e = mine.find((x) => x.key === key);
    return e
      ? { key, title: e.title, answer: e.answer, active: e.active, source: 'edited' }
      : { key, title: words(`faq:topics.${key}`), answer: words(`faq:answers.${key}`), active: true, source: 'builtIn' };
  });
  const seen = new Set<string>(BUILT_IN_FAQ_KEYS);
  for (const e of entries) {
    if (seen.has(e.key)) continue;
    seen.add(e.key);
    const own = mine.find((x) => x.key === e.key);
    // Not written in this language yet: residents reading it get the first locale's words (for-residents.ts).
    const shown = own ?? entries.find((x) => x.key === e.key && x.language === LOCALES[0]);
    if (!shown) continue; // written only in another language than the first: not shown in this one
    rows.push({ key: e.key, title: shown.title, answer: shown.answer, active: shown.active, source: own ? 'own' : 'fallback' });
  }
  return rows;
}

export function faqRoutes(deps: AppDeps) {
  const db = deps.database.db;

  const languageOf = (c: ConsoleContext): Locale => {
    const q = c.req.query('language');
    return isLocale(q) ? q : c.get('locale');
  };

  const list = async (c: ConsoleContext, opts: ListState<FaqDraft> = {}, status: 200 | 422 = 200, language: Locale = languageOf(c)) => {
    const t = tOf(deps, c);
    const session = c.get('session');
    const entries = await listFaqEntries(db, session.actor);
    const draft = opts.draft ?? { key: '', language, title: '', answer: '' };
    return adminPage(
      deps,
      c,
      {
        title: t('admin:faq.title'),
        here: '/console/admin/faq',
        children: <FaqList t={t} session={session} language={language} rows={rowsFor(deps, entries, language)} draft={draft} opts={opts} />,
      },
      status,
    );
  };

  const edit = (c: ConsoleContext, draft: FaqDraft, builtIn: boolean, errors: string[] = [], status: 200 | 422 = 200) => {
    const t = tOf(deps, c);
    return adminPage(
      deps,
      c,
      {
        title: t('admin:faq.editTitle', { key: draft.key, language: t(`admin:languages.${draft.language}`) }),
        here: '/console/admin/faq',
        children: <FaqEdit t={t} session={c.get('session')} draft={draft} builtIn={builtIn} errors={errors} />,
      },
      status,
    );
  };

  const readDraft = async (c: ConsoleContext, fixed?: { key: string; language: string }): Promise<FaqDraft> => {
    const f = await formFields(c);
    return {
      key: fixed?.key ?? (f.key ?? '').trim().slice(0, 200),
      language: fixed?.language ?? f.language ?? '',
      title: (f.title ?? '').slice(0, 1000),
      answer: (f.answer ?? '').slice(0, 20_000),
    };
  };

  /** The topic named by the address: a built-in key, or one with words in some language; else null (404). */
  const topicOf = async (c: ConsoleContext) => {
    const language = c.req.param('language');
    const key = c.req.param('key') ?? '';
    if (!isLocale(language)) return null;
    const entries = await listFaqEntries(db, c.get('session').actor);
    const row = rowsFor(deps, entries, language).find((r) => r.key === key);
    if (!row) return null;
    return { language, key, row };
  };

  const { app, guard, csrf, allowed } = adminList(deps, 'faq', DONE, list);

  const back = (language: string, done: string) => `/console/admin/faq?language=${language}&done=${done}`;

  app.post('/console/admin/faq', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const draft = await readDraft(c);
    const language = isLocale(draft.language) ? draft.language : languageOf(c);
    const problems = faqProblems(draft);
    if (problems.length > 0) return list(c, { errors: problems.map((p) => problemText(t, p)), draft }, 422, language);
    const result = await saveFaqEntry(db, c.get('session').actor, { ...draft, mode: 'create' });
    if (!result.ok) return list(c, { errors: [t(`admin:faq.problems.${result.reason === 'key_taken' ? 'key_taken' : 'invalid'}`)], draft }, 422, language);
    return c.redirect(back(language, 'create'), 303);
  });

  app.get('/console/admin/faq/:language/:key', guard, allowed, async (c) => {
    const topic = await topicOf(c);
    if (!topic) return notFoundPage(deps, c, '/console/admin/faq');
    // A topic not yet written in this language starts from the words residents see now, to translate.
    return edit(c, { key: topic.key, language: topic.language, title: topic.row.title, answer: topic.row.answer }, isBuiltInFaqKey(topic.key));
  });

  app.post('/console/admin/faq/:language/:key', guard, csrf, allowed, async (c) => {
    const t = tOf(deps, c);
    const topic = await topicOf(c);
    if (!topic) return notFoundPage(deps, c, '/console/admin/faq');
    const draft = await readDraft(c, topic);
    const builtIn = isBuiltInFaqKey(topic.key);
    const problems = faqProblems(draft);
    if (problems.length > 0) return edit(c, draft, builtIn, problems.map((p) => problemText(t, p)), 422);
    const result = await saveFaqEntry(db, c.get('session').actor, { ...draft, mode: 'update' });
    if (!result.ok) return edit(c, draft, builtIn, [t('admin:faq.problems.invalid')], 422);
    return c.redirect(back(topic.language, 'update'), 303);
  });

  for (const action of ['hide', 'show'] as const) {
    app.post(`/console/admin/faq/:language/:key/${action}`, guard, csrf, allowed, async (c) => {
      const topic = await topicOf(c);
      if (!topic) return notFoundPage(deps, c, '/console/admin/faq');
      const result = await setFaqActive(db, c.get('session').actor, {
        key: topic.key,
        language: topic.language,
        active: action === 'show',
        words: { title: topic.row.title, answer: topic.row.answer },
      });
      if (!result.ok) return notFoundPage(deps, c, '/console/admin/faq');
      return c.redirect(back(topic.language, action), 303);
    });
  }

  return app;
}
