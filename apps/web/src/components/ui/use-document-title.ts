import { createContext, useContext, useEffect } from 'react';
import { useTranslation } from 'react-i18next';

/** On the server, where there is no document: the title the page asked for, written into the HTML's <title>. */
export const ServerTitleContext = createContext<{ title: string } | null>(null);

export function useDocumentTitle(title: string | undefined): void {
  const { t } = useTranslation();
  const site = t('layout.siteName');
  const full = title ? `${title} · ${site}` : site;
  const server = useContext(ServerTitleContext);
  if (server) server.title = full;
  useEffect(() => {
    document.title = full;
  }, [full]);
}
