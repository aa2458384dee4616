import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { Loading } from '../../components/ui/loading';
import { useDocumentTitle } from '../../components/ui/use-document-title';
import { AccessNotice } from '../../features/moderation/components/access-notice';
import { CommentDetail } from '../../features/moderation/components/comment-detail';
import { CommentLookup } from '../../features/moderation/components/comment-lookup';
import { ModerationLogView } from '../../features/moderation/components/moderation-log-view';
import { Queue } from '../../features/moderation/components/queue';
import { isModeratorRole, useMe } from '../../lib/session';
import '../../styles/moderation.css';

/** The moderators' desk: the queue of flagged comments, one comment opened by number, the log. */
export default function ModerationRoute() {
  const { t } = useTranslation();
  const { me, loading } = useMe();
  const [params, setParams] = useSearchParams();
  const [done, setDone] = useState<string | null>(null);
  useDocumentTitle(t('moderation.title'));
  const view = params.get('view') === 'log' ? 'log' : 'queue';
  const commentParam = Number(params.get('comment'));
  const commentId = Number.isInteger(commentParam) && commentParam > 0 ? commentParam : null;

  if (loading) return <Loading />;
  if (!me || !isModeratorRole(me)) {
    return (
      <section className="page narrow">
        <h1>{t('moderation.title')}</h1>
        <AccessNotice signedIn={!!me} next="/moderation" />
      </section>
    );
  }

  return (
    <section className="page wide mod-page">
      <h1>{t('moderation.title')}</h1>
      <nav className="mod-views" aria-label={t('moderation.views')}>
        <Link to="/moderation" aria-current={view === 'queue' && !commentId ? 'page' : undefined} onClick={() => setDone(null)}>
          {t('moderation.queue')}
        </Link>
        <Link to="/moderation?view=log" aria-current={view === 'log' && !commentId ? 'page' : undefined} onClick={() => setDone(null)}>
          {t('moderation.log')}
        </Link>
        <CommentLookup
          onOpen={(id) => {
            setDone(null);
            setParams({ comment: String(id) });
          }}
        />
      </nav>
      {done ? (
        <p className="notice mod-done" data-testid="moderation-done">
          {done}
        </p>
      ) : null}
      {commentId ? (
        <>
          <p>
            <Link to="/moderation">
              <span className="dir-arrow" aria-hidden="true">←</span> {t('moderation.backToQueue')}
            </Link>
          </p>
          <CommentDetail id={commentId} onDone={setDone} />
        </>
      ) : view === 'log' ? (
        <ModerationLogView />
      ) : (
        <>
          <p className="muted">{t('moderation.queueIntro')}</p>
          <Queue onDone={setDone} />
        </>
      )}
    </section>
  );
}
