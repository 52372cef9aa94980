import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../src/domain/vocabulary.ts';
import { createI18n, loadResources, pickLocale } from '../src/i18n.ts';

function keys(obj: unknown, prefix = ''): string[] {
  if (obj === null || typeof obj !== 'object') return [prefix];
  return Object.entries(obj as Record<string, unknown>).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('locales', () => {
  const resources = loadResources();

  it('has the same namespaces in every language', () => {
    const namespaces = LOCALES.map((l) => Object.keys(resources[l] ?? {}).sort());
    for (const ns of namespaces) expect(ns).toEqual(namespaces[0]);
    expect(namespaces[0]!.length).toBeGreaterThan(0);
  });

  it('has every key in both Bahasa Indonesia and English, and no empty text', () => {
    for (const ns of Object.keys(resources.id ?? {})) {
      const id = keys(resources.id![ns]).sort();
      const en = keys(resources.en![ns]).sort();
      expect({ ns, missingInEnglish: id.filter((k) => !en.includes(k)) }).toEqual({ ns, missingInEnglish: [] });
      expect({ ns, missingInIndonesian: en.filter((k) => !id.includes(k)) }).toEqual({ ns, missingInIndonesian: [] });
      for (const lang of LOCALES) {
        const bundle = resources[lang]![ns] as Record<string, unknown>;
        for (const k of keys(bundle)) {
          const value = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], bundle);
          expect({ lang, ns, k, ok: typeof value === 'string' && value.trim().length > 0 }).toEqual({ lang, ns, k, ok: true });
        }
      }
    }
  });

  it('has, in both languages, every key the code uses', () => {
    // Every file of the code, whichever folder of its subject it lives in.
    const sources = ['flows', 'src'].flatMap((d) =>
      (readdirSync(d, { recursive: true }) as string[]).filter((f) => /\.tsx?$/.test(f)).map((f) => readFileSync(join(d, f), 'utf8')),
    );
    const literal = new Set<string>();
    const prefixes = new Set<string>();
    for (const src of sources) {
      for (const m of src.matchAll(/\bt\(\s*['"]([a-z]+:[\w.]+)['"]/g)) literal.add(m[1]!);
      // `faq:topics.${id}`: the part before the interpolation must be an object of texts.
      for (const m of src.matchAll(/\bt\(\s*`([a-z]+:[\w.]*)\$\{/g)) prefixes.add(m[1]!.replace(/\.$/, ''));
    }
    expect(literal.size).toBeGreaterThan(50);
    const lookup = (lang: string, key: string) => {
      const [ns, path] = key.split(':') as [string, string];
      // `distribution:${key}`: the whole namespace is the object of texts.
      return (path ? path.split('.') : []).reduce<unknown>((o, p) => (o as Record<string, unknown> | undefined)?.[p], resources[lang]?.[ns]);
    };
    for (const lang of LOCALES) {
      // Plural keys live as key_one / key_other (i18next picks by `count`).
      const has = (k: string) => typeof lookup(lang, k) === 'string' || typeof lookup(lang, `${k}_other`) === 'string';
      expect({ lang, missing: [...literal].filter((k) => !has(k)) }).toEqual({ lang, missing: [] });
      expect({ lang, missing: [...prefixes].filter((k) => typeof lookup(lang, k) !== 'object') }).toEqual({ lang, missing: [] });
    }
  });

  it('translates in both languages from one instance', async () => {
    const i18n = await createI18n('id');
    expect(i18n.getFixedT('id')('http.notFound')).toBe('Halaman tidak ditemukan.');
    expect(i18n.getFixedT('en')('http.notFound')).toBe('Page not found.');
  });

  it('picks a supported language from a header or channel code', () => {
    expect(pickLocale('en-US,en;q=0.9', 'id')).toBe('en');
    expect(pickLocale('in', 'en')).toBe('id');
    expect(pickLocale('fr-FR, de', 'id')).toBe('id');
    expect(pickLocale(undefined, 'en')).toBe('en');
  });
});
