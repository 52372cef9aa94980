import type { TFunction } from 'i18next';
import { can } from '../../../services/access.ts';
import type { DistributionOptions } from '../../../services/distribution/common.ts';
import type { AppDeps } from '../../context.ts';
import type { ConsoleContext } from '../shell/session.ts';
import { ForbiddenPage, NotFoundPage, type PageContext } from './views/page.tsx';

// What the distribution routes share: id parsing, the 403 and 404 answers, the options every service call
// runs with (the app's clock, zone and texts), the person's permissions and the posted form. An event
// outside the person's area is answered exactly like one that does not exist.

export function parseId(raw: string | undefined): number | null {
  return raw && /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : null;
}

export const tOf = (deps: AppDeps, c: ConsoleContext): TFunction => deps.i18n.getFixedT(c.get('locale'));

export const pageOf = (deps: AppDeps, c: ConsoleContext): PageContext => ({ t: tOf(deps, c), locale: c.get('locale'), session: c.get('session') });

export function serviceOpts(deps: AppDeps): DistributionOptions {
  return { now: deps.clock(), timeZone: deps.timeZone, i18n: deps.i18n, defaultLocale: deps.defaultLocale, outreach: deps.outreach };
}

export const mayRead = (c: ConsoleContext) => can(c.get('session').actor, 'distribution.read');
export const mayManage = (c: ConsoleContext) => can(c.get('session').actor, 'distribution.manage');

export function forbidden(deps: AppDeps, c: ConsoleContext) {
  return c.html(<ForbiddenPage page={pageOf(deps, c)} />, 403);
}

export function notFound(deps: AppDeps, c: ConsoleContext) {
  return c.html(<NotFoundPage page={pageOf(deps, c)} />, 404);
}

/** Form fields of a POST as plain strings (files and repeated fields dropped). */
export async function formFields(c: ConsoleContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v.slice(0, 2000);
  return out;
}
