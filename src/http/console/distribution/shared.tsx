import type { TFunction } from 'i18next';
import { formatDate } from '../../../domain/dates.ts';
import { can } from '../../../services/access.ts';
import type { DistributionOptions } from '../../../services/distribution/common.ts';
import type { AppDeps } from '../../context.ts';
import { Shell } from '../shell/layout.tsx';
import type { ConsoleContext } from '../shell/session.ts';

// What the distribution pages share: id parsing, the 403 and 404 pages, the options every service call runs
// with (the app's clock, zone and texts), and the text of a refusal. An event outside the person's area is
// answered exactly like one that does not exist.

export const NS = 'distribution_console';

export function parseId(raw: string | undefined): number | null {
  return raw && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : null;
}

export const tOf = (deps: AppDeps, c: ConsoleContext): TFunction => deps.i18n.getFixedT(c.get('locale'));

export function serviceOpts(deps: AppDeps): DistributionOptions {
  return { now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale };
}

export const mayRead = (c: ConsoleContext) => can(c.get('session').actor, 'distribution.read');
export const mayManage = (c: ConsoleContext) => can(c.get('session').actor, 'distribution.manage');

export function forbidden(deps: AppDeps, c: ConsoleContext) {
  const t = tOf(deps, c);
  return c.html(
    <Shell t={t} locale={c.get('locale')} title={t(`${NS}:forbidden.title`)} session={c.get('session')} here="/console">
      <h1>{t(`${NS}:forbidden.title`)}</h1>
      <p>{t(`${NS}:forbidden.text`)}</p>
    </Shell>,
    403,
  );
}

export function notFound(deps: AppDeps, c: ConsoleContext) {
  const t = tOf(deps, c);
  return c.html(
    <Shell t={t} locale={c.get('locale')} title={t(`${NS}:notFound.title`)} session={c.get('session')} here="/console/distribution">
      <h1>{t(`${NS}:notFound.title`)}</h1>
      <p>{t(`${NS}:notFound.text`)}</p>
      <p>
        <a href="/console/distribution">{t(`${NS}:back`)}</a>
      </p>
    </Shell>,
    404,
  );
}

/** A refusal of a distribution service as a sentence; an unknown reason falls back to the general one. */
export function refusalText(t: TFunction, reason: string): string {
  return t([`${NS}:refusals.${reason}`, `${NS}:refusals.invalid_input`]);
}

/** "Kamis, 10 Desember 2026". */
export function dayText(iso: string, locale: 'id' | 'en'): string {
  return formatDate(iso, locale);
}

/** Form fields of a POST as plain strings (files and repeated fields dropped). */
export async function formFields(c: ConsoleContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v.slice(0, 2000);
  return out;
}
