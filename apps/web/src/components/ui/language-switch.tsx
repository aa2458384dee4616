import { useTranslation } from 'react-i18next';
import { useLocation, useNavigate } from 'react-router';
import { LANG_TAG, LANGUAGE_NAMES, languageOf, setLanguage, UI_LANGUAGES, type UiLanguage } from '../../i18n';

/**
 * The interface language, each by its own name. The choice is kept in the `lang` cookie and sets
 * <html lang dir>; a `?lang=` in the address follows it, so that the address still says what is shown.
 * Without scripts the buttons submit ?lang=xx, which the server renders in.
 */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const lang = languageOf(i18n);
  const location = useLocation();
  const navigate = useNavigate();

  function choose(l: UiLanguage): void {
    void setLanguage(l, i18n);
    const params = new URLSearchParams(location.search);
    if (params.has('lang')) {
      params.set('lang', l);
      void navigate({ pathname: location.pathname, search: `?${params.toString()}`, hash: location.hash }, { replace: true, preventScrollReset: true });
    }
  }

  // A GET form, so that with scripts off (a page the server drew) a button still asks for ?lang=xx.
  return (
    <form method="get" className="language-switch-form">
      <div className="segmented language-switch" role="group" aria-label={t('layout.interfaceLanguage')}>
        {UI_LANGUAGES.map((l) => (
          <button
            key={l}
            type="submit"
            name="lang"
            value={l}
            lang={LANG_TAG[l]}
            aria-pressed={lang === l}
            onClick={(e) => {
              e.preventDefault();
              choose(l);
            }}
          >
            {LANGUAGE_NAMES[l]}
          </button>
        ))}
      </div>
    </form>
  );
}
