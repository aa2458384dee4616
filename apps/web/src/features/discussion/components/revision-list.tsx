import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Loading } from '../../../components/ui/loading';
import { formatDateTime } from '../../../lib/format';
import { useRevisions } from '../api/get-revisions';
import { CommentBody } from './comment-body';

/** The earlier versions of an edited comment, oldest first, a page at a time (the API's X-Next-Cursor). */
export function RevisionList({ commentId }: { commentId: number }) {
  const { t, i18n } = useTranslation();
  const q = useRevisions(commentId, true);
  // Read before the checks below narrow `q`: a later page's failure leaves the pages already shown.
  const error = q.error;
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorNotice error={q.error} />;
  const revisions = q.data.pages.flatMap((p) => p.revisions);
  if (revisions.length === 0) return <p className="muted">{t('discussion.noRevisions')}</p>;
  return (
    <>
      <ol className="revisions" aria-label={t('discussion.revisions')}>
        {revisions.map((r, i) => (
          <li key={i}>
            <p className="muted">{t('discussion.revisionOf', { date: formatDateTime(r.editedAt, i18n.resolvedLanguage ?? 'zh') })}</p>
            <CommentBody source={r.body} />
          </li>
        ))}
      </ol>
      {q.hasNextPage ? (
        <button type="button" className="button-link" disabled={q.isFetchingNextPage} onClick={() => void q.fetchNextPage()}>
          {t('discussion.moreRevisions')}
        </button>
      ) : null}
      {q.isFetchNextPageError && error ? <ErrorNotice error={error} /> : null}
    </>
  );
}
