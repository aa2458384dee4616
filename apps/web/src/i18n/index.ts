import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { zh } from './zh';

/** The interface languages; the document itself can also be shown in both side by side (see use-text-mode). */
export const UI_LANGUAGES = ['zh', 'en'] as const;
export type UiLanguage = (typeof UI_LANGUAGES)[number];

const STORAGE_KEY = 'forum.lang';

/** BCP 47 tags for <html lang> and lang attributes. */
export const LANG_TAG: Record<UiLanguage, string> = { zh: 'zh-CN', en: 'en' };

function initialLanguage(): UiLanguage {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'zh' || saved === 'en') return saved;
  } catch {
    /* storage unavailable */
  }
  const nav = typeof navigator !== 'undefined' ? navigator.languages ?? [navigator.language] : [];
  for (const l of nav) {
    if (/^zh\b/i.test(l)) return 'zh';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'zh';
}

function applyToDocument(lang: UiLanguage): void {
  document.documentElement.lang = LANG_TAG[lang];
}

export function currentLanguage(): UiLanguage {
  return i18next.resolvedLanguage === 'en' ? 'en' : 'zh';
}

export async function setLanguage(lang: UiLanguage): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, lang);
  } catch {
    /* storage unavailable: the choice lasts for this page */
  }
  await i18next.changeLanguage(lang);
}

export function initI18n(): typeof i18next {
  const lng = initialLanguage();
  void i18next.use(initReactI18next).init({
    lng,
    fallbackLng: 'en',
    supportedLngs: [...UI_LANGUAGES],
    resources: { en: { translation: en }, zh: { translation: zh } },
    interpolation: { escapeValue: false }, // React escapes
    returnNull: false,
    initAsync: false,
  });
  applyToDocument(lng);
  i18next.on('languageChanged', (l) => applyToDocument(l === 'en' ? 'en' : 'zh'));
  return i18next;
}
