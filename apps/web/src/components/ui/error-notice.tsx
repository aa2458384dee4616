import { useTranslation } from 'react-i18next';
import { ApiError, NetworkError } from '../../lib/api-client';

/** The localised sentence for a failed request; the API's own message is shown as a detail for 400s. */
export function useErrorText(): (err: unknown) => string {
  const { t } = useTranslation();
  return (err: unknown) => {
    if (err instanceof NetworkError) return t('errors.network');
    if (err instanceof ApiError) {
      switch (err.status) {
        case 400:
          return t('errors.badInput');
        case 401:
          return t('errors.unauthenticated');
        case 403:
          return t('errors.forbidden');
        case 404:
          return t('errors.notFound');
        case 409:
          return t('errors.conflict');
        case 413:
          return t('errors.tooLarge');
        case 423:
          return t('errors.locked');
        case 429:
          return t('errors.rateLimited');
        default:
          return err.status >= 500 ? t('errors.server') : t('errors.generic');
      }
    }
    return t('errors.generic');
  };
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const text = useErrorText();
  const detail = error instanceof ApiError && error.status === 400 ? error.body?.message : undefined;
  return (
    <div className="notice notice-error" role="alert">
      <p>{text(error)}</p>
      {detail ? (
        <p className="notice-detail" lang="en">
          {detail}
        </p>
      ) : null}
      {onRetry ? (
        <button type="button" className="button-link" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}
