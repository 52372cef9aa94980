import type { TFunction } from 'i18next';
import type { Session } from '../../../../services/staff/sessions.ts';
import { Csrf } from '../../shell/layout.tsx';

// The event page's "Template WhatsApp" card: which approved template its invitations and reminders go out with
// on the Cloud API (services/distribution/templates.ts checks the choice). Each option shows Meta's status, so
// staff see at once why one would be refused; "" is the setting's default.

const NS = 'templates';

export interface EventTemplatesView {
  /** WHATSAPP_CLOUD_TEMPLATE_LANGUAGE: the only language offered. */
  language: string;
  defaults: { invitation: string; reminder: string };
  /** The synced templates of that language, DELETED ones left out unless chosen. */
  templates: { name: string; status: string }[];
  invitationTemplate: string | null;
  reminderTemplate: string | null;
}

export function EventTemplatesCard({ t, session, eventId, view }: { t: TFunction; session: Session; eventId: number; view: EventTemplatesView }) {
  return (
    <section class="card" aria-labelledby="h-templates" id="templates">
      <h2 id="h-templates">{t(`${NS}:event.title`)}</h2>
      <p class="meta">{t(`${NS}:event.help`)}</p>
      {view.templates.length === 0 ? <p class="warn">{t(`${NS}:event.noTemplates`)}</p> : null}
      <form method="post" action={`/console/distribution/${eventId}/templates`} class="filters">
        <Csrf session={session} />
        <TemplateSelect t={t} id="tpl-invitation" name="invitationTemplate" label={t(`${NS}:event.invitation`)} fallback={view.defaults.invitation} chosen={view.invitationTemplate} templates={view.templates} />
        <TemplateSelect t={t} id="tpl-reminder" name="reminderTemplate" label={t(`${NS}:event.reminder`)} fallback={view.defaults.reminder} chosen={view.reminderTemplate} templates={view.templates} />
        <button type="submit">{t(`${NS}:event.save`)}</button>
      </form>
      <p>
        <a href="/console/templates">{t(`${NS}:event.manage`)}</a>
      </p>
    </section>
  );
}

function TemplateSelect(p: { t: TFunction; id: string; name: string; label: string; fallback: string; chosen: string | null; templates: EventTemplatesView['templates'] }) {
  const { t } = p;
  // A chosen template Meta no longer lists stays visible as chosen, so saving the form does not drop it silently.
  const listed = p.chosen && !p.templates.some((x) => x.name === p.chosen) ? [...p.templates, { name: p.chosen, status: 'DELETED' }] : p.templates;
  return (
    <div>
      <label for={p.id}>{p.label}</label>
      <select id={p.id} name={p.name}>
        <option value="" selected={!p.chosen}>
          {t(`${NS}:event.default`, { name: p.fallback })}
        </option>
        {listed.map((x) => (
          <option value={x.name} selected={x.name === p.chosen}>
            {t(`${NS}:event.option`, { name: x.name, status: t([`${NS}:status.${x.status}`, `${NS}:status.other`]) })}
          </option>
        ))}
      </select>
    </div>
  );
}
