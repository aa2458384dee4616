import i18next, { type i18n as I18n, type InitOptions } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en, type Resources } from './en';
import { zh } from './zh';
import { dirOf, isUiLanguage, LANG_TAG, langCookie, pickLanguage, UI_LANGUAGES, type UiLanguage } from './detect';

export {
  DEFAULT_LANGUAGE,
  dirOf,
  hasPlanText,
  INTL_LOCALE,
  intlLocale,
  isUiLanguage,
  LANG_COOKIE,
  LANG_TAG,
  langCookie,
  LANGUAGE_NAMES,
  pickLanguage,
  planLanguage,
  UI_LANGUAGES,
} from './detect';
export type { UiLanguage } from './detect';

/**
 * Interface strings. Chinese (the default) and English (the fallback) are in the entry bundle;
 * French, Spanish, Russian and Arabic are each a chunk of their own, fetched when chosen.
 */
const bundles: Partial<Record<UiLanguage, Resources>> = { zh, en };

const loaders: Record<Exclude<UiLanguage, 'zh' | 'en'>, () => Promise<Resources>> = {
  fr: () => import('./fr').then((m) => m.fr),
  es: () => import('./es').then((m) => m.es),
  ru: () => import('./ru').then((m) => m.ru),
  ar: () => import('./ar').then((m) => m.ar),
};

export function isLanguageLoaded(lang: UiLanguage): boolean {
  return bundles[lang] !== undefined;
}

/** Fetch a language's strings (once); afterwards createI18n(lang) has them synchronously. */
export async function loadLanguage(lang: UiLanguage): Promise<Resources> {
  const have = bundles[lang];
  if (have) return have;
  const loaded = await loaders[lang as keyof typeof loaders]();
  bundles[lang] = loaded;
  return loaded;
}

/** Every language, loaded: for the server, which may answer any of them. */
export async function loadAllLanguages(): Promise<void> {
  await Promise.all(UI_LANGUAGES.map((l) => loadLanguage(l)));
}

/**
 * For the browser tests: with `window.__i18nMissing = []` set before the page's scripts, a key
 * missing in the page's language is recorded there — and not covered by the English fallback, so
 * it also shows as the raw key.
 */
type TestHooks = { __i18nMissing?: string[] };
function recordMissing(lngs: readonly string[], _ns: string, key: string): void {
  const sink = (globalThis as TestHooks).__i18nMissing;
  // A language whose strings are still on the way is not missing anything yet.
  if (Array.isArray(sink) && lngs.every((l) => !isUiLanguage(l) || isLanguageLoaded(l))) sink.push(`${lngs.join(',')}:${key}`);
}
const strict = (): boolean => Array.isArray((globalThis as TestHooks).__i18nMissing);

function options(lang: UiLanguage): InitOptions {
  const resources: Record<string, { translation: Resources }> = {};
  for (const l of UI_LANGUAGES) {
    const r = bundles[l];
    if (r) resources[l] = { translation: r };
  }
  return {
    lng: lang,
    fallbackLng: strict() ? false : 'en',
    supportedLngs: [...UI_LANGUAGES],
    resources,
    partialBundledLanguages: true,
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    initAsync: false,
    saveMissing: true,
    missingKeyHandler: recordMissing,
    // Re-render when a lazily fetched language arrives.
    react: { bindI18nStore: 'added' },
  };
}

/** Add a lazily fetched language to an instance and switch to it. */
async function ensureBundle(instance: I18n, lang: UiLanguage): Promise<void> {
  const r = await loadLanguage(lang);
  if (!instance.hasResourceBundle(lang, 'translation')) instance.addResourceBundle(lang, 'translation', r, true, true);
  if (instance.language === lang) await instance.changeLanguage(lang);
}

/**
 * A fresh, initialised i18next instance in `lang`, touching neither `document` nor storage (for
 * server rendering: one per request, given to <I18nextProvider>). Synchronous when the language is
 * loaded (zh and en always; the others after `await loadLanguage(lang)` or `loadAllLanguages()`);
 * otherwise it starts in English and switches when the strings arrive.
 */
export function createI18n(lang: UiLanguage): I18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init(options(lang));
  if (!isLanguageLoaded(lang)) void ensureBundle(instance, lang).catch(() => undefined);
  return instance;
}

/** The UI language of an instance (its chosen language, even while its strings are on the way). */
export function languageOf(instance: Pick<I18n, 'language'>): UiLanguage {
  const l = instance.language?.split('-')[0];
  return isUiLanguage(l) ? l : 'zh';
}

export function currentLanguage(): UiLanguage {
  return languageOf(i18next);
}

/** The language this page should start in (browser only). */
export function browserLanguage(): UiLanguage {
  return pickLanguage({
    query: typeof location !== 'undefined' ? location.search : null,
    cookie: typeof document !== 'undefined' ? document.cookie : null,
    navigatorLanguages: typeof navigator !== 'undefined' ? (navigator.languages ?? [navigator.language]) : null,
  });
}

function applyToDocument(lang: UiLanguage): void {
  const root = document.documentElement;
  root.lang = LANG_TAG[lang];
  root.dir = dirOf(lang);
}

/**
 * The switch: remember the choice in the `lang` cookie (path /, SameSite=Lax, one year), fetch the
 * language if need be, change `instance` (the page's, from useTranslation; the global one by default)
 * and keep <html lang dir> in step.
 */
export async function setLanguage(lang: UiLanguage, instance: I18n = i18next): Promise<void> {
  try {
    document.cookie = langCookie(lang, { secure: location.protocol === 'https:' });
  } catch {
    /* cookies unavailable: the choice lasts for this page */
  }
  const r = await loadLanguage(lang).catch(() => undefined);
  if (r && !instance.hasResourceBundle(lang, 'translation')) instance.addResourceBundle(lang, 'translation', r, true, true);
  await instance.changeLanguage(lang);
  if (typeof document !== 'undefined') applyToDocument(lang);
}

/** The browser entry: the global instance in the language the page asks for, kept on <html lang dir>. */
export function initI18n(lang: UiLanguage = browserLanguage()): typeof i18next {
  void i18next.use(initReactI18next).init(options(lang));
  if (!isLanguageLoaded(lang)) void ensureBundle(i18next, lang).catch(() => undefined);
  applyToDocument(lang);
  i18next.on('languageChanged', (l) => applyToDocument(languageOf({ language: l })));
  return i18next;
}

export type { Resources };
