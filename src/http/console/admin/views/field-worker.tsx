import type { TFunction } from 'i18next';

// What makes an account a field worker's (issue 19), in the new-account form and on a colleague's page: the
// field role (TKSK, PSM, pendamping… as data) and the kelurahan they cover. Without a script the kelurahan
// shown are those of the kecamatan the page was drawn with: the one posted last, or the account's own; a
// different kecamatan picked in the select brings its kelurahan on the answer to the post.

export interface FieldRoleOption {
  key: string;
  /** In the page's language, else Indonesian. */
  name: string;
}

/** The kecamatan whose kelurahan are offered, or null when none is chosen yet (the whole city). */
export interface KelurahanChoice {
  kecamatanName: string;
  kelurahan: { id: number; name: string }[];
}

export interface FieldWorkerFieldsProps {
  t: TFunction;
  idPrefix: string;
  roles: FieldRoleOption[];
  fieldRole: string | null;
  choice: KelurahanChoice | null;
  kelurahanIds: readonly number[];
}

export function FieldWorkerFields({ t, idPrefix, roles, fieldRole, choice, kelurahanIds }: FieldWorkerFieldsProps) {
  const hint = `${idPrefix}-field-role-hint`;
  return (
    <>
      <div class="field">
        <label for={`${idPrefix}-field-role`}>{t('admin:users.field.role')}</label>
        <select id={`${idPrefix}-field-role`} name="field_role" aria-describedby={hint}>
          <option value="">{t('admin:users.field.none')}</option>
          {roles.map((r) => (
            <option value={r.key} selected={r.key === fieldRole}>
              {r.name}
            </option>
          ))}
        </select>
        <p class="meta" id={hint}>
          {t('admin:users.field.roleHint')}
        </p>
      </div>
      <fieldset data-testid="kelurahan-choice">
        <legend>{choice ? t('admin:users.field.kelurahanOf', { kecamatan: choice.kecamatanName, interpolation: { escapeValue: false } }) : t('admin:users.field.kelurahan')}</legend>
        {choice === null ? (
          <p class="meta">{t('admin:users.field.pickKecamatanFirst')}</p>
        ) : choice.kelurahan.length === 0 ? (
          <p class="meta">{t('admin:users.field.noKelurahan')}</p>
        ) : (
          <>
            <div class="filters">
              {choice.kelurahan.map((k) => (
                <label>
                  <input type="checkbox" name="kelurahan" value={String(k.id)} checked={kelurahanIds.includes(k.id)} /> {k.name}
                </label>
              ))}
            </div>
            <p class="meta">{t('admin:users.field.otherKecamatan')}</p>
          </>
        )}
      </fieldset>
    </>
  );
}

/** A field role's name as the list shows it; a dash for an account without one. */
export function fieldRoleLabel(roles: FieldRoleOption[], key: string | null): string {
  if (key === null) return '—';
  return roles.find((r) => r.key === key)?.name ?? key;
}
