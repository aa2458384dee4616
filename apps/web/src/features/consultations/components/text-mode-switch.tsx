import { useTranslation } from 'react-i18next';
import { Segmented } from '../../../components/ui/segmented';
import { useUiLanguage } from '../../../i18n/use-language';
import type { TextMode } from '../hooks/use-text-mode';

/**
 * Chinese, English or both. The plan exists in Chinese (the original) and an English working
 * translation only: in the other interface languages the page says so, in that language.
 */
export function TextModeSwitch({ value, onChange }: { value: TextMode; onChange: (m: TextMode) => void }) {
  const { t } = useTranslation();
  const { planInLanguage } = useUiLanguage();
  return (
    <>
      <Segmented
        label={t('document.textLanguage')}
        value={value}
        onChange={onChange}
        options={[
          { value: 'zh', label: '中文', lang: 'zh-CN' },
          { value: 'en', label: 'English', lang: 'en' },
          { value: 'both', label: t('document.both') },
        ]}
      />
      {planInLanguage ? null : (
        <p className="plan-languages" data-testid="plan-languages">
          {t('document.noOfficialText')}
        </p>
      )}
    </>
  );
}
