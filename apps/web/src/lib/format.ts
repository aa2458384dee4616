import { intlLocale } from '../i18n/detect';

/** Locale-aware formatting for the interface language (`lang`: a UI language code; its Intl locale from i18n/detect). */

/** `timeZone`: 'UTC' where the server's HTML and the hydrating render must agree (see useHydrated); the reader's own zone otherwise. */
export function formatDateTime(iso: string | null | undefined, lang: string, timeZone?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(intlLocale(lang), { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(d);
}

export function formatDate(iso: string | null | undefined, lang: string, timeZone?: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(intlLocale(lang), { dateStyle: 'long', timeZone }).format(d);
}

/** A ratio 0..1 as a whole percentage in the language's way (67%, 67 %, 67‎%‎), or null. */
export function percent(ratio: number | null | undefined, lang?: string): string | null {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return null;
  if (!lang) return `${Math.round(ratio * 100)}%`;
  return new Intl.NumberFormat(intlLocale(lang), { style: 'percent', maximumFractionDigits: 0 }).format(ratio);
}

/** A count in the language's way (12,345, 12 345, 12.345). */
export function formatNumber(n: number, lang: string): string {
  return new Intl.NumberFormat(intlLocale(lang)).format(n);
}

/** A country name from its ISO 3166 alpha-2 code, in the interface language. */
export function countryName(code: string | null | undefined, lang: string): string {
  if (!code) return '';
  try {
    return new Intl.DisplayNames([intlLocale(lang)], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}
