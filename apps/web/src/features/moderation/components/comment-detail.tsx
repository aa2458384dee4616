import { ErrorNotice } from '../../../components/ui/error-notice';
import { Loading } from '../../../components/ui/loading';
import { useCommentDetail } from '../api/get-comment-detail';
import { CommentCase } from './comment-case';

/** One comment opened by its number (from the log, a link, or the look-up): to restore it, for instance. */
export function CommentDetail({ id, onDone }: { id: number; onDone: (message: string) => void }) {
  const q = useCommentDetail(id);
  if (q.isPending) return <Loading />;
  if (q.isError) return <ErrorNotice error={q.error} onRetry={() => void q.refetch()} />;
  const d = q.data;
  return (
    <CommentCase
      data={{ comment: d.comment, context: d.context, flags: d.flags, history: d.history, authorHistory: d.authorHistory, authorSuspendedUntil: d.authorSuspendedUntil }}
      onDone={onDone}
    />
  );
}
