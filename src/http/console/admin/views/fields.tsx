import type { TFunction } from 'i18next';
import { BIDANG } from '../../../../domain/vocabulary.ts';
import type { Kecamatan } from '../../../../services/areas.ts';

// What the admin pages' tables and forms share: an area's name, the kecamatan/bidang pickers every scope
// form uses, and the confirmation and refusal lines.

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
