import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** Shown when a page fails to render or its chunk fails to load (e.g. after a deploy): offers a reload. */
export function RouteError() {
  const { t } = useTranslation();
  const err = useRouteError();
  const notFound = isRouteErrorResponse(err) && err.status === 404;
  return (
    <main className="page narrow" id="main">
      <h1>{notFound ? t('notFound.title') : t('errors.pageFailed')}</h1>
      <p>{notFound ? t('notFound.body') : t('errors.pageFailedBody')}</p>
      <p className="actions">
        <button type="button" onClick={() => window.location.reload()}>
          {t('common.reload')}
        </button>
        <Link to="/">{t('notFound.home')}</Link>
      </p>
    </main>
  );
}
