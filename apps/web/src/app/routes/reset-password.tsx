import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../components/ui/use-document-title';
import { ResetPasswordForm } from '../../features/auth/components/reset-password-form';

/**
 * `/reset-password#token=…` (or `?token=…`). The token is read in the browser only (a fragment
 * never reaches the server) and then taken out of the address bar, so it stays out of the
 * history, of bookmarks and of a Referer.
 */
function takeToken(): string | null {
  const fromHash = new URLSearchParams(window.location.hash.replace(/^#/, '')).get('token');
  const fromQuery = new URLSearchParams(window.location.search).get('token');
  const token = fromHash ?? fromQuery;
  if (token) window.history.replaceState(window.history.state, '', window.location.pathname);
  return token;
}

export default function ResetPasswordRoute() {
  const { t } = useTranslation();
  // undefined until the browser has read the address (the server's HTML and the first render agree)
  const [token, setToken] = useState<string | null | undefined>(undefined);
  useEffect(() => setToken((current) => (current === undefined ? takeToken() : current)), []);
  useDocumentTitle(t('account.resetTitle'));
  return (
    <section className="page narrow">
      <h1>{t('account.resetTitle')}</h1>
      <p>{t('account.resetIntro')}</p>
      {token === undefined ? null : <ResetPasswordForm token={token} />}
    </section>
  );
}
