/** Locale-aware formatting for the interface language. */

export function formatDateTime(iso: string | null | undefined, lang: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(d);
}

export function formatDate(iso: string | null | undefined, lang: string): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', { dateStyle: 'long' }).format(d);
}

/** A ratio 0..1 as a whole percentage, or null. */
export function percent(ratio: number | null | undefined): string | null {
  if (ratio === null || ratio === undefined || Number.isNaN(ratio)) return null;
  return `${Math.round(ratio * 100)}%`;
}

/** A country name from its ISO 3166 alpha-2 code, in the interface language. */
export function countryName(code: string | null | undefined, lang: string): string {
  if (!code) return '';
  try {
    return new Intl.DisplayNames([lang === 'zh' ? 'zh-CN' : 'en'], { type: 'region' }).of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}
