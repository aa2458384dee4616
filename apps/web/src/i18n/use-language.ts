import { useTranslation } from 'react-i18next';
import { hasPlanText, INTL_LOCALE, LANG_TAG, planLanguage, type UiLanguage } from './detect';
import { languageOf } from './index';

/**
 * The page's interface language and what follows from it: the Intl locale (dates, numbers,
 * collation), the BCP 47 tag, and the language of the plan's text to show first (zh or en).
 */
export function useUiLanguage(): { lang: UiLanguage; locale: string; tag: string; plan: 'zh' | 'en'; planInLanguage: boolean } {
  const { i18n } = useTranslation();
  const lang = languageOf(i18n);
  return { lang, locale: INTL_LOCALE[lang], tag: LANG_TAG[lang], plan: planLanguage(lang), planInLanguage: hasPlanText(lang) };
}
