import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Loading } from '../../../components/ui/loading';
import { useModerationLog } from '../api/get-moderation-log';
import { usePublicLog } from '../api/get-public-log';
import { LogTable } from './log-table';

/** The whole log for moderators, with who acted. */
export function ModerationLogView() {
  const { t } = useTranslation();
  const q = useModerationLog();
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => void q.refetch()} />;
  const entries = q.data.pages.flat();
  return (
    <>
      <p className="muted">{t('moderation.logIntro')}</p>
      {entries.length ? <LogTable entries={entries} audience="moderators" caption={t('moderation.logCaption')} /> : <p className="notice">{t('moderation.logEmpty')}</p>}
      {q.hasNextPage ? (
        <button type="button" className="button-secondary" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
          {t('moderation.loadMore')}
        </button>
      ) : null}
    </>
  );
}

/** A consultation's public log: actions and reasons, no moderator. */
export function PublicLogView({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const q = usePublicLog(slug);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => void q.refetch()} />;
  const entries = q.data.pages.flat();
  return (
    <>
      {entries.length ? <LogTable entries={entries} audience="public" caption={t('publicLog.caption')} /> : <p className="notice">{t('publicLog.empty')}</p>}
      {q.hasNextPage ? (
        <button type="button" className="button-secondary" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
          {t('moderation.loadMore')}
        </button>
      ) : null}
    </>
  );
}
