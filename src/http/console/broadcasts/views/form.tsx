import { LOCALES } from '../../../../domain/vocabulary.ts';
import { MAX_TEXT, MAX_TITLE, type BroadcastPreview, type BroadcastSegment } from '../../../../services/broadcasts/index.ts';
import type { AreaChoice } from '../../../../services/distribution/console-options.ts';
import { Csrf } from '../../shell/layout.tsx';
import { BroadcastShell, NS, refusalText, type PageContext } from './page.tsx';
import { PreviewCard } from './preview.tsx';

// A new announcement: a title, a text per language, the segment pickers, and the count and the message as
// each language reads it before saving.

export interface Draft {
  title: string;
  texts: Record<string, string>;
  segment: BroadcastSegment;
}

export interface BroadcastFormProps {
  page: PageContext;
  draft: Draft;
  programs: { id: number; code: string; name: string }[];
  areas: AreaChoice[];
  error?: string;
  preview?: BroadcastPreview;
}

export function BroadcastForm({ page, draft, programs, areas, error, preview }: BroadcastFormProps) {
  const { t, session } = page;
  const has = (list: number[] | undefined, id: number) => (list ?? []).includes(id);
  return (
    <BroadcastShell page={page} title={t(`${NS}:console.new`)}>
      <p>
        <a href="/console/broadcasts">← {t(`${NS}:console.back`)}</a>
      </p>
      <h1>{t(`${NS}:console.new`)}</h1>
      {error ? (
        <p class="error" role="alert">
          {refusalText(t, error)}
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
              <input type="checkbox" name="program" value={String(p.id)} checked={has(draft.segment.programIds, p.id)} /> {`${p.name} (${p.code})`}
            </label>
          ))}
        </fieldset>
        <fieldset>
          <legend>{t(`${NS}:console.fields.areas`)}</legend>
          {areas.map((k) => (
            <div>
              <label>
                <input type="checkbox" name="kecamatan" value={String(k.kecamatanId)} checked={has(draft.segment.kecamatanIds, k.kecamatanId)} /> {k.kecamatan}
              </label>
              <div class="filters">
                {k.kelurahan.map((kel) => (
                  <label>
                    <input type="checkbox" name="kelurahan" value={String(kel.id)} checked={has(draft.segment.kelurahanIds, kel.id)} /> {kel.name}
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
              <input type="checkbox" name="language" value={l} checked={(draft.segment.languages ?? []).includes(l)} /> {t(`${NS}:languages.${l}`)}
            </label>
          ))}
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
