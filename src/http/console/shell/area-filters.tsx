import type { AreaInScope } from '../../../services/areas.ts';

/**
 * The kecamatan and kelurahan pickers of a filter form (proposals, findings): only the areas in the staff
 * member's scope, and only the chosen kecamatan's kelurahan once one is chosen. Labels come from the page.
 */
export function AreaFilters(props: {
  idPrefix: string;
  areas: readonly AreaInScope[];
  kecamatanId: number | undefined;
  kelurahanId: number | undefined;
  labels: { kecamatan: string; kelurahan: string; all: string };
}) {
  const { idPrefix, areas, kecamatanId, kelurahanId, labels } = props;
  const kelurahanOptions = areas.filter((k) => !kecamatanId || k.id === kecamatanId).flatMap((k) => k.kelurahan);
  return (
    <>
      <div>
        <label for={`${idPrefix}-kecamatan`}>{labels.kecamatan}</label>
        <select id={`${idPrefix}-kecamatan`} name="kecamatan">
          <option value="">{labels.all}</option>
          {areas.map((k) => (
            <option value={String(k.id)} selected={k.id === kecamatanId}>
              {k.name}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label for={`${idPrefix}-kelurahan`}>{labels.kelurahan}</label>
        <select id={`${idPrefix}-kelurahan`} name="kelurahan">
          <option value="">{labels.all}</option>
          {kelurahanOptions.map((k) => (
            <option value={String(k.id)} selected={k.id === kelurahanId}>
              {k.name}
            </option>
          ))}
        </select>
      </div>
    </>
  );
}
