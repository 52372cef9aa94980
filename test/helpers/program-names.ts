import type { Locale } from '../../src/domain/vocabulary.ts';
import { BATAM } from '../../src/services/seed/batam.ts';

/** A demo program's name as a resident reading `locale` sees it (the seed's English form, when it has one). */
export function programName(code: string, locale: Locale): string {
  const p = BATAM.programs.find((x) => x.code === code);
  if (!p) throw new Error(`no demo program ${code}`);
  return locale === 'en' && p.nameEn ? p.nameEn : p.name;
}
