import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Loading } from '../../../components/ui/loading';
import { useQueue } from '../api/get-queue';
import { CommentCase } from './comment-case';

/** Flagged comments, most flagged first, each with everything needed to judge it and the actions. */
export function Queue({ onDone }: { onDone: (message: string) => void }) {
  const { t } = useTranslation();
  const q = useQueue();
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => void q.refetch()} />;
  if (q.data.length === 0) return <p className="notice" data-testid="queue-empty">{t('moderation.queueEmpty')}</p>;
  return (
    <ol className="mod-queue" data-testid="mod-queue">
      {q.data.map((e) => (
        <li key={e.id}>
          <CommentCase
            data={{
              comment: e,
              context: e.context,
              flags: e.flags,
              flagCount: e.flagCount,
              lastFlaggedAt: e.lastFlaggedAt,
              authorHistory: e.authorHistory,
              authorSuspendedUntil: e.authorSuspendedUntil,
            }}
            onDone={onDone}
          />
        </li>
      ))}
    </ol>
  );
}
