import { LOCALES } from '../../../../domain/vocabulary.ts';
import { MAX_TEXT, MAX_TITLE, type BroadcastPreview, type BroadcastSegment } from '../../../../services/broadcasts/index.ts';
import type { AreaChoice } from '../../../../services/distribution/console-options.ts';
import { Csrf } from '../../shell/layout.tsx';
import { BroadcastShell, NS, refusalText, type PageContext } from './page.tsx';
import { PreviewCard } from './preview.tsx';

// A new announcement: a title, a text per language, the segment pickers (programs, areas, languages, desil,
// age, disability), whether it also goes to registry phones and with which WhatsApp Cloud template, and the
// count by path and the message as each language reads it before saving.

export interface Draft {
  title: string;
  texts: Record<string, string>;
  segment: BroadcastSegment;
  toRegistryPhones: boolean;
  template: string | null;
}

/** The WhatsApp Cloud templates to choose from (the Cloud API is on): the setting's notice template first. */
export interface TemplateChoices {
  fallback: string;
  list: { name: string; status: string }[];
}

export interface BroadcastFormProps {
  page: PageContext;
  draft: Draft;
  programs: { id: number; code: string; name: string }[];
  areas: AreaChoice[];
  templates?: TemplateChoices;
  error?: string;
  errorDetail?: string;
  preview?: BroadcastPreview;
}

export function BroadcastForm({ page, draft, programs, areas, templates, error, errorDetail, preview }: BroadcastFormProps) {
  const { t, session } = page;
  const has = (list: number[] | undefined, id: number) => (list ?? []).includes(id);
  const num = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? '' : String(v));
  const seg = draft.segment;
  return (
    <BroadcastShell page={page} title={t(`${NS}:console.new`)}>
      <p>
        <a href="/console/broadcasts">← {t(`${NS}:console.back`)}</a>
      </p>
      <h1>{t(`${NS}:console.new`)}</h1>
      {error ? (
        <p class="error" role="alert">
          {refusalText(t, error)}
          {errorDetail ? ` (${errorDetail})` : ''}
        </p>
      ) : null}
      {preview ? <PreviewCard t={t} preview={preview} /> : null}
      <form method="post" action="/console/broadcasts/new" class="card">
        <Csrf session={session} />
        <div class="field">
          <label for="b-title">{t(`${NS}:console.fields.title`)}</label>
          <input id="b-title" name="title" value={draft.title} maxlength={MAX_TITLE} size={50} required />
        </div>
        {LOCALES.map((l) => (
          <div class="field">
            <label for={`b-text-${l}`}>{t(`${NS}:console.fields.text`, { language: t(`${NS}:languages.${l}`) })}</label>
            <textarea id={`b-text-${l}`} name={`text_${l}`} maxlength={MAX_TEXT}>
              {draft.texts[l] ?? ''}
            </textarea>
          </div>
        ))}
        <p class="meta">{t(`${NS}:console.textHint`, { max: MAX_TEXT })}</p>
        <h2>{t(`${NS}:console.segment`)}</h2>
        <p class="meta">{t(`${NS}:console.segmentHint`)}</p>
        <fieldset>
          <legend>{t(`${NS}:console.fields.programs`)}</legend>
          {programs.map((p) => (
            <label>
              <input type="checkbox" name="program" value={String(p.id)} checked={has(seg.programIds, p.id)} /> {`${p.name} (${p.code})`}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t(`${NS}:console.fields.areas`)}</legend>
          {areas.map((k) => (
            <div>
              <label>
                <input type="checkbox" name="kecamatan" value={String(k.kecamatanId)} checked={has(seg.kecamatanIds, k.kecamatanId)} /> {k.kecamatan}
              </label>
              <div class="filters">
                {k.kelurahan.map((kel) => (
                  <label>
                    <input type="checkbox" name="kelurahan" value={String(kel.id)} checked={has(seg.kelurahanIds, kel.id)} /> {kel.name}
                  </label>
                ))}
              </div>
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t(`${NS}:console.fields.languages`)}</legend>
          {LOCALES.map((l) => (
            <label>
              <input type="checkbox" name="language" value={l} checked={(seg.languages ?? []).includes(l)} /> {t(`${NS}:languages.${l}`)}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t(`${NS}:console.fields.household`)}</legend>
          <div class="filters">
            <label>
              {t(`${NS}:console.fields.desilMin`)} <input name="desil_min" type="number" min={1} max={10} step={1} value={num(seg.desilMin)} size={3} />
            </label>
            <label>
              {t(`${NS}:console.fields.desilMax`)} <input name="desil_max" type="number" min={1} max={10} step={1} value={num(seg.desilMax)} size={3} />
            </label>
          </div>
          <div class="filters">
            <label>
              {t(`${NS}:console.fields.ageMin`)} <input name="age_min" type="number" min={0} max={120} step={1} value={num(seg.ageMin)} size={4} />
            </label>
            <label>
              {t(`${NS}:console.fields.ageMax`)} <input name="age_max" type="number" min={0} max={120} step={1} value={num(seg.ageMax)} size={4} />
            </label>
          </div>
          <label>
            <input type="checkbox" name="disability" value="1" checked={seg.disability === true} /> {t(`${NS}:console.fields.disability`)}
          </label>
          <p class="meta">{t(`${NS}:console.householdHint`)}</p>
        </fieldset>
        <fieldset>
          <legend>{t(`${NS}:console.fields.registry`)}</legend>
          <label>
            <input type="checkbox" name="to_registry_phones" value="1" checked={draft.toRegistryPhones} /> {t(`${NS}:console.fields.toRegistryPhones`)}
          </label>
          <p class="meta">{t(`${NS}:console.registryHint`)}</p>
          {templates ? (
            <div class="field">
              <label for="b-template">{t(`${NS}:console.fields.template`)}</label>
              <select id="b-template" name="template">
                <option value="" selected={!draft.template}>
                  {t('templates:event.default', { name: templates.fallback })}
                </option>
                {templates.list.map((x) => (
                  <option value={x.name} selected={x.name === draft.template}>
                    {t('templates:event.option', { name: x.name, status: t([`templates:status.${x.status}`, 'templates:status.other']) })}
                  </option>
                ))}
              </select>
              <p class="meta">
                {t(`${NS}:console.templateHint`)} <a href="/console/templates">{t('templates:event.manage')}</a>
              </p>
            </div>
          ) : null}
        </fieldset>
        <p class="actions">
          <button class="secondary" type="submit" name="action" value="preview">
            {t(`${NS}:console.preview`)}
          </button>
          <button class="primary" type="submit" name="action" value="save">
            {t(`${NS}:console.save`)}
          </button>
        </p>
      </form>
    </BroadcastShell>
  );
}
