import { useTranslation } from 'react-i18next';
import { currentLanguage, setLanguage, UI_LANGUAGES } from '../../i18n';

const NATIVE_NAME = { zh: '中文', en: 'English' } as const;

/** The interface language; the choice is kept in localStorage and sets <html lang>. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const lang = currentLanguage();
  return (
    <div className="segmented" role="group" aria-label={t('layout.interfaceLanguage')}>
      {UI_LANGUAGES.map((l) => (
        <button key={l} type="button" lang={l === 'zh' ? 'zh-CN' : 'en'} aria-pressed={lang === l} onClick={() => void setLanguage(l)}>
          {NATIVE_NAME[l]}
        </button>
      ))}
    </div>
  );
}
