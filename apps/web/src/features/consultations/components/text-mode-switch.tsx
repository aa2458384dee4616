import { useTranslation } from 'react-i18next';
import { Segmented } from '../../../components/ui/segmented';
import type { TextMode } from '../hooks/use-text-mode';

export function TextModeSwitch({ value, onChange }: { value: TextMode; onChange: (m: TextMode) => void }) {
  const { t } = useTranslation();
  return (
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
  );
}
