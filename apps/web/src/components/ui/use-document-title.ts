import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';

export function useDocumentTitle(title: string | undefined): void {
  const { t } = useTranslation();
  useEffect(() => {
    const site = t('layout.siteName');
    document.title = title ? `${title} · ${site}` : site;
  }, [title, t]);
}
