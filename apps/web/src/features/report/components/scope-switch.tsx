import { useTranslation } from 'react-i18next';
import { Segmented } from '../../../components/ui/segmented';

export type ReportScope = 'verified' | 'any';

/** Verified participants only (the published figures) or everyone. */
export function ScopeSwitch({ value, onChange }: { value: ReportScope; onChange: (v: ReportScope) => void }) {
  const { t } = useTranslation();
  return (
    <div className="report-scope">
      <Segmented
        label={t('report.scope')}
        value={value}
        onChange={onChange}
        options={[
          { value: 'verified', label: t('report.scopeVerified') },
          { value: 'any', label: t('report.scopeEveryone') },
        ]}
      />
      <span className="muted">{value === 'any' ? t('report.scopeEveryoneHint') : t('report.scopeVerifiedHint')}</span>
    </div>
  );
}
