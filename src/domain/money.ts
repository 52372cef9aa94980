import type { Locale } from './vocabulary.ts';

// Rupiah as the office prints it: no space after "Rp", no decimals (sen are not used), and the thousands
// grouped as the reader's language groups them: dots in Indonesian (Rp750.000), commas in English (Rp750,000),
// where a dot would read as a decimal point.

export function formatRupiah(amount: number, locale: Locale = 'id'): string {
  const whole = Math.round(Math.abs(amount));
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, locale === 'en' ? ',' : '.');
  return `${amount < 0 && whole !== 0 ? '-' : ''}Rp${grouped}`;
}
