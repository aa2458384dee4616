/**
 * Choice of the interface language — pure functions, no DOM, usable on the server (server
 * rendering picks the language of the first request with these) and in the browser.
 *
 * Order: the URL (`?lang=fr`), else the `lang` cookie set by the switch, else the browser's
 * languages (Accept-Language on the server, navigator.languages in the browser), else Chinese.
 */

/** The six official UN languages, in the UN's order (the English alphabetical order of their names). */
export const UI_LANGUAGES = ['ar', 'zh', 'en', 'fr', 'ru', 'es'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

/** The language when nothing else tells. */
export const DEFAULT_LANGUAGE: UiLanguage = 'zh';

/** BCP 47 tags for <html lang> and lang attributes. */
export const LANG_TAG: Record<UiLanguage, string> = { ar: 'ar', zh: 'zh-CN', en: 'en', fr: 'fr', ru: 'ru', es: 'es' };

/** Locale tags for Intl (dates, numbers, plural rules, collation, display names). */
export const INTL_LOCALE: Record<UiLanguage, string> = { ar: 'ar', zh: 'zh-CN', en: 'en-GB', fr: 'fr-FR', ru: 'ru-RU', es: 'es-ES' };

/** The Intl locale for a language code (a UiLanguage, or anything: unknown gives Chinese's). */
export function intlLocale(lang: string | null | undefined): string {
  const l = lang?.split('-')[0];
  return isUiLanguage(l) ? INTL_LOCALE[l] : INTL_LOCALE[DEFAULT_LANGUAGE];
}

/**
 * The language of the plan's text to show first: it exists in Chinese (the original) and an English
 * working translation only, so every interface language but Chinese reads the English first.
 */
export function planLanguage(lang: string | null | undefined): 'zh' | 'en' {
  return lang?.split('-')[0] === 'zh' || !lang ? 'zh' : 'en';
}

/** Whether the plan has a text in this language (it has none in fr, es, ru, ar: the page says so). */
export function hasPlanText(lang: UiLanguage): boolean {
  return lang === 'zh' || lang === 'en';
}

/** Each language by its own name (autonym), for the switch. */
export const LANGUAGE_NAMES: Record<UiLanguage, string> = {
  ar: 'العربية',
  zh: '中文',
  en: 'English',
  fr: 'Français',
  ru: 'Русский',
  es: 'Español',
};

/** The cookie the switch sets (path /, SameSite=Lax, one year). */
export const LANG_COOKIE = 'lang';
export const LANG_COOKIE_MAX_AGE = 365 * 24 * 60 * 60;

/** Writing direction: Arabic right to left, the others left to right. */
export function dirOf(lang: UiLanguage): 'rtl' | 'ltr' {
  return lang === 'ar' ? 'rtl' : 'ltr';
}

export function isUiLanguage(value: unknown): value is UiLanguage {
  return typeof value === 'string' && (UI_LANGUAGES as readonly string[]).includes(value);
}

/** One language tag (`fr-CA`, `zh-Hant-TW`, `AR`, `en_GB`) to a UI language, or null. */
export function normalizeLanguage(tag: string | null | undefined): UiLanguage | null {
  if (!tag) return null;
  const primary = tag.trim().toLowerCase().split(/[-_]/)[0];
  return isUiLanguage(primary) ? primary : null;
}

/** Accept-Language header to tags by descending q (ties keep their order); q=0 is dropped. */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part, index) => {
      const [tag, ...params] = part.trim().split(';');
      let q = 1;
      for (const p of params) {
        const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
        if (m) q = Number(m[1]);
      }
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((x) => x.tag && x.tag !== '*' && x.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((x) => x.tag);
}

/** The value of `lang` from a Cookie header (`a=1; lang=fr`) or a bare value (`fr`). */
function cookieValue(cookie: string | null | undefined): string | null {
  if (!cookie) return null;
  if (!cookie.includes('=')) return cookie;
  for (const part of cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === LANG_COOKIE) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The value of `lang` from a query string (`?lang=fr`, `a=1&lang=fr`), URLSearchParams, or a bare value (`fr`). */
function queryValue(query: string | URLSearchParams | null | undefined): string | null {
  if (!query) return null;
  if (typeof query !== 'string') return query.get('lang');
  if (query.startsWith('?') || query.includes('=')) return new URLSearchParams(query).get('lang');
  return query;
}

export interface LanguageInputs {
  /** `?lang=` — the bare value (`fr`), a query string (`?lang=fr&x=1`) or URLSearchParams. */
  query?: string | URLSearchParams | null;
  /** The `lang` cookie — the bare value (`fr`) or the whole Cookie header. */
  cookie?: string | null;
  /** The Accept-Language request header (server). */
  acceptLanguage?: string | null;
  /** navigator.languages (browser). */
  navigatorLanguages?: readonly string[] | null;
}

/** The interface language: URL, else cookie, else the browser's languages, else Chinese. */
export function pickLanguage({ query, cookie, acceptLanguage, navigatorLanguages }: LanguageInputs = {}): UiLanguage {
  const fromQuery = normalizeLanguage(queryValue(query));
  if (fromQuery) return fromQuery;
  const fromCookie = normalizeLanguage(cookieValue(cookie));
  if (fromCookie) return fromCookie;
  for (const tag of [...parseAcceptLanguage(acceptLanguage), ...(navigatorLanguages ?? [])]) {
    const lang = normalizeLanguage(tag);
    if (lang) return lang;
  }
  return DEFAULT_LANGUAGE;
}

/** The Set-Cookie / document.cookie value the switch writes. */
export function langCookie(lang: UiLanguage, opts: { secure?: boolean } = {}): string {
  return `${LANG_COOKIE}=${lang}; Path=/; Max-Age=${LANG_COOKIE_MAX_AGE}; SameSite=Lax${opts.secure ? '; Secure' : ''}`;
}
