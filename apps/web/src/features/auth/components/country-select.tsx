import { COUNTRY_CODES } from '@forum/shared';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { intlLocale } from '../../../i18n/detect';
import { countryName } from '../../../lib/format';
import { useHydrated } from '../../../lib/hydration';

/** ISO 3166-1 alpha-2 countries, named in the interface language (Intl.DisplayNames), sorted by name. */
export function CountrySelect({ id, value, onChange, describedBy, invalid }: { id: string; value: string; onChange: (v: string) => void; describedBy?: string; invalid?: boolean }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'zh';
  // Country names come from the ICU data of whoever renders: the server's and the browser's differ, so the list is the browser's alone.
  const hydrated = useHydrated();
  const options = useMemo(() => {
    const collator = new Intl.Collator(intlLocale(lang));
    return COUNTRY_CODES.map((code) => ({ code, name: countryName(code, lang) })).sort((a, b) => collator.compare(a.name, b.name));
  }, [lang]);
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined}>
      <option value="">{t('auth.countryNone')}</option>
      {(hydrated ? options : []).map((o) => (
        <option key={o.code} value={o.code}>
          {o.name} ({o.code})
        </option>
      ))}
    </select>
  );
}
