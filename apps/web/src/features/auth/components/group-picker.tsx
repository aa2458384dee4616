import { STAKEHOLDER_GROUPS, type StakeholderGroup } from '@forum/shared';
import { useTranslation } from 'react-i18next';

/**
 * The four stakeholder groups, each explained in both languages: a participant's group is read
 * by everyone in both, and the choice should be clear whichever language one reads best.
 */
export function GroupPicker({ value, onChange, error }: { value: StakeholderGroup | ''; onChange: (g: StakeholderGroup) => void; error?: string }) {
  const { t, i18n } = useTranslation();
  const otherLang = i18n.resolvedLanguage === 'en' ? 'zh' : 'en';
  const other = i18n.getFixedT(otherLang);
  return (
    <fieldset className="group-picker" aria-describedby={error ? 'group-error' : 'group-hint'}>
      <legend>{t('auth.group')}</legend>
      <p className="hint" id="group-hint">
        {t('auth.groupHint')}
      </p>
      {STAKEHOLDER_GROUPS.map((g) => (
        <label key={g} className={`group-option${value === g ? ' chosen' : ''}`}>
          <input type="radio" name="stakeholderGroup" value={g} checked={value === g} onChange={() => onChange(g)} />
          <span className="group-option-text">
            <span className="group-option-name">
              {t(`groups.${g}.label`)}
              <span className="muted" lang={otherLang === 'zh' ? 'zh-CN' : 'en'}>
                {' '}
                · {other(`groups.${g}.label`)}
              </span>
            </span>
            <span className="group-option-desc">{t(`groups.${g}.description`)}</span>
            <span className="group-option-desc group-option-other" lang={otherLang === 'zh' ? 'zh-CN' : 'en'}>
              {other(`groups.${g}.description`)}
            </span>
          </span>
        </label>
      ))}
      {error ? (
        <p className="field-error" id="group-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
