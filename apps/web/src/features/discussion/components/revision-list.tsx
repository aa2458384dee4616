import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Loading } from '../../../components/ui/loading';
import { formatDateTime } from '../../../lib/format';
import { useRevisions } from '../api/get-revisions';
import { CommentBody } from './comment-body';

/** The earlier versions of an edited comment, oldest first. */
export function RevisionList({ commentId }: { commentId: number }) {
  const { t, i18n } = useTranslation();
  const q = useRevisions(commentId, true);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorNotice error={q.error} />;
  if (q.data.length === 0) return <p className="muted">{t('discussion.noRevisions')}</p>;
  return (
    <ol className="revisions" aria-label={t('discussion.revisions')}>
      {q.data.map((r, i) => (
        <li key={i}>
          <p className="muted">{t('discussion.revisionOf', { date: formatDateTime(r.editedAt, i18n.resolvedLanguage ?? 'zh') })}</p>
          <CommentBody source={r.body} />
        </li>
      ))}
    </ol>
  );
}
