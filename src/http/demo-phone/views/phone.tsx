import type { DemoPhoneMessage } from '../../../services/demo-phone/conversation.ts';
import type { DemoPhoneEntry } from '../../../services/demo-phone/phones.ts';
import { formatTime } from '../../console/shell/layout.tsx';
import { DemoShell } from './layout.tsx';
import type { DemoPageContext } from './list.tsx';

// One demo phone's screen: what the office sent to the number and what was written from it, oldest first,
// updating itself; the facts to try with; and a form that writes to the office as this phone.

export interface DemoPhoneView {
  entry: DemoPhoneEntry;
  messages: DemoPhoneMessage[];
  /** A fresh id for the form, so a double submit is answered once. */
  formId: string;
  error?: 'empty_text';
}

export function DemoPhonePage({ page, view }: { page: DemoPageContext; view: DemoPhoneView }) {
  const { t, locale } = page;
  const { entry } = view;
  const here = `/demo/phones/${entry.slug}`;
  return (
    <DemoShell t={t} locale={locale} title={t('demo_phone:phone.title', { phone: entry.display })} here={here} live>
      <p>
        <a href="/demo/phones">← {t('demo_phone:phone.back')}</a>
      </p>
      <h1>
        {t('demo_phone:phone.heading')} <span class="num">{entry.display}</span>
      </h1>
      <p>
        {entry.holder
          ? t('demo_phone:phone.owner', { holder: entry.holder, resident: entry.resident })
          : t('demo_phone:phone.ownerSelf', { resident: entry.resident })}
      </p>
      <p>{t(`demo_phone:shows.${entry.shows}`)}</p>
      <section class="card">
        <h2>{t('demo_phone:phone.facts')}</h2>
        <dl class="facts">
          <dt>{t('demo_phone:phone.nik')}</dt>
          <dd>{entry.facts.nik}</dd>
          <dt>{t('demo_phone:phone.kk')}</dt>
          <dd>{entry.facts.noKk}</dd>
          <dt>{t('demo_phone:phone.birth')}</dt>
          <dd>{typedDate(entry.facts.birthDate)}</dd>
        </dl>
      </section>
      {/* The stream only signals; the messages come from the fragment route. */}
      <div hx-ext="sse" sse-connect={`${here}/events`} aria-live="polite">
        <DemoPhoneMessages page={page} entry={entry} messages={view.messages} />
      </div>
      <section class="card" id="reply">
        <h2>{t('demo_phone:phone.write')}</h2>
        <p class="meta">{t('demo_phone:phone.writeHint')}</p>
        {view.error ? (
          <p class="error" role="alert">
            {t(`demo_phone:phone.${view.error}`)}
          </p>
        ) : null}
        <form class="write" method="post" action={`${here}/messages`}>
          <input type="hidden" name="formId" value={view.formId} />
          <div class="field">
            <label for="text">{t('demo_phone:phone.text')}</label>
            <input type="text" id="text" name="text" maxlength={4000} required autocomplete="off" enterkeyhint="send" />
          </div>
          <button type="submit">{t('demo_phone:phone.send')}</button>
        </form>
      </section>
    </DemoShell>
  );
}

export function DemoPhoneMessages({ page, entry, messages }: { page: DemoPageContext; entry: DemoPhoneEntry; messages: DemoPhoneMessage[] }) {
  const { t, locale, timeZone } = page;
  return (
    <section class="card" id="messages" hx-get={`/demo/phones/${entry.slug}/messages`} hx-trigger="sse:changed" hx-swap="outerHTML">
      <h2>{t('demo_phone:phone.conversation')}</h2>
      {messages.length === 0 ? <p>{t('demo_phone:phone.empty')}</p> : null}
      <ol class="msgs" data-testid="messages">
        {messages.map((m) => (
          <li class={m.direction}>
            <div class="meta">
              {m.direction === 'out' ? t('demo_phone:phone.fromOffice') : t('demo_phone:phone.fromPhone')} · {formatTime(m.at, locale, timeZone)}
            </div>
            <div class="text">{m.text ?? ''}</div>
            {/* A phone cannot press buttons it never got: the options read as a numbered list, as on WhatsApp Web. */}
            {m.options.length > 0 ? (
              <ol aria-label={t('demo_phone:phone.optionsLabel')}>
                {m.options.filter((o) => !o.requestPhone).map((o) => (
                  <li>{o.label}</li>
                ))}
              </ol>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** "1985-03-12" as a resident types it: "12-03-1985". */
function typedDate(iso: string): string {
  const [y, m, d] = iso.split('-');
  return `${d}-${m}-${y}`;
}
