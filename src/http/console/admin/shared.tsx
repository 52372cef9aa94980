import type { MiddlewareHandler } from 'hono';
import type { Child } from 'hono/jsx';
import type { TFunction } from 'i18next';
import { BIDANG } from '../../../domain/vocabulary.ts';
import { can, type Permission } from '../../../services/access.ts';
import type { Kecamatan } from '../../../services/areas.ts';
import type { AppDeps } from '../../context.ts';
import { Shell } from '../shell/layout.tsx';
import type { ConsoleContext, ConsoleEnv } from '../shell/session.ts';

// What the admin pages share: the page frame with a way back to the admin index, the 403/404 pages, the
// permission guard, and the kecamatan/bidang pickers every scope form uses.

export const tOf = (deps: AppDeps, c: ConsoleContext): TFunction => deps.i18n.getFixedT(c.get('locale'));

export function parseId(raw: string | undefined): number | null {
  return raw !== undefined && /^[1-9]\d{0,14}$/.test(raw) ? Number(raw) : null;
}

/** A page of the admin area, with the breadcrumb back to the admin index. */
export function adminPage(deps: AppDeps, c: ConsoleContext, opts: { title: string; here: string; children?: Child }, status: 200 | 403 | 404 | 422 = 200) {
  const t = tOf(deps, c);
  return c.html(
    <Shell t={t} locale={c.get('locale')} title={opts.title} session={c.get('session')} here={opts.here}>
      <p>
        <a href="/console/admin">← {t('admin:index.title')}</a>
      </p>
      <h1>{opts.title}</h1>
      {opts.children}
    </Shell>,
    status,
  );
}

export function forbiddenPage(deps: AppDeps, c: ConsoleContext) {
  const t = tOf(deps, c);
  return c.html(
    <Shell t={t} locale={c.get('locale')} title={t('admin:forbidden.title')} session={c.get('session')} here="/console">
      <h1>{t('admin:forbidden.title')}</h1>
      <p>{t('admin:forbidden.text')}</p>
    </Shell>,
    403,
  );
}

export function notFoundPage(deps: AppDeps, c: ConsoleContext, back: string) {
  const t = tOf(deps, c);
  return c.html(
    <Shell t={t} locale={c.get('locale')} title={t('admin:notFound.title')} session={c.get('session')} here={back}>
      <h1>{t('admin:notFound.title')}</h1>
      <p>{t('admin:notFound.text')}</p>
      <p>
        <a href={back}>{t('admin:notFound.back')}</a>
      </p>
    </Shell>,
    404,
  );
}

/** After requireStaff: the 403 page for someone whose role lacks the permission. The services check again. */
export function requireAdminPermission(deps: AppDeps, permission: Permission): MiddlewareHandler<ConsoleEnv> {
  return async (c, next) => {
    if (!can(c.get('session').actor, permission)) return forbiddenPage(deps, c);
    await next();
  };
}

export function areaName(t: TFunction, areas: Kecamatan[], id: number | null): string {
  if (id === null) return t('admin:scope.allKecamatan');
  return areas.find((a) => a.id === id)?.name ?? `#${id}`;
}

/** The kecamatan and bidang pickers; only choices within the actor's own scope are offered. */
export function ScopeFields(props: {
  t: TFunction;
  idPrefix: string;
  areas: Kecamatan[];
  actor: { kecamatanId: number | null; bidang: string | null };
  kecamatanId: number | null;
  bidang: string | null;
}) {
  const { t, idPrefix, areas, actor } = props;
  const offeredAreas = actor.kecamatanId === null ? areas : areas.filter((a) => a.id === actor.kecamatanId);
  const offeredBidang = actor.bidang === null ? BIDANG : BIDANG.filter((b) => b === actor.bidang);
  return (
    <>
      <div class="field">
        <label for={`${idPrefix}-kecamatan`}>{t('admin:scope.kecamatan')}</label>
        <select id={`${idPrefix}-kecamatan`} name="kecamatan">
          {actor.kecamatanId === null ? <option value="">{t('admin:scope.allKecamatan')}</option> : null}
          {offeredAreas.map((a) => (
            <option value={String(a.id)} selected={a.id === props.kecamatanId}>
              {a.name}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for={`${idPrefix}-bidang`}>{t('admin:scope.bidang')}</label>
        <select id={`${idPrefix}-bidang`} name="bidang">
          {actor.bidang === null ? <option value="">{t('admin:scope.allBidang')}</option> : null}
          {offeredBidang.map((b) => (
            <option value={b} selected={b === props.bidang}>
              {b}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}

/** The form's kecamatan field: '' is the whole city, a positive whole number an id; anything else is bad input. */
export function parseKecamatan(raw: string): number | null | 'invalid' {
  if (raw === '') return null;
  return parseId(raw) ?? 'invalid';
}

export function Notice({ text }: { text: string | undefined }) {
  return text ? (
    <p class="notice" role="status">
      {text}
    </p>
  ) : null;
}

export function ErrorBox({ text }: { text: string | undefined }) {
  return text ? (
    <p class="error" role="alert">
      {text}
    </p>
  ) : null;
}

/** All fields of a posted form as strings (files and repeated fields ignored). */
export async function formFields(c: ConsoleContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(body)) if (typeof v === 'string') out[k] = v;
  return out;
}
