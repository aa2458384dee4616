import type { QuoteSelector, UserView } from '@forum/shared';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, type Ref } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Loading } from '../../../components/ui/loading';
import { threadKey, useThread, type ThreadData } from '../api/get-comments';
import { usePostComment } from '../api/post-comment';
import { buildThread, type ThreadNode } from '../build-thread';
import { CommentCard } from './comment-card';
import { Composer } from './composer';

/** Replies indent up to this depth; deeper ones are drawn at this depth with "in reply to …". */
const MAX_INDENT = 4;

export interface DiscussionAnchor {
  clauseKey: string | null;
  quote: QuoteSelector | null;
}

interface DiscussionProps {
  slug: string;
  item: number;
  me: UserView | null;
  /** Why writing is not possible now, or null. */
  closedReason: string | null;
  anchor: DiscussionAnchor;
  onClearQuote: () => void;
  onClearClause: () => void;
  /** Threads shown: all, or those of one clause. */
  filterClause: string | null;
  onShowAll: () => void;
  onAnchorClick: (clauseKey: string) => void;
  composerRef: Ref<HTMLTextAreaElement>;
  viewers: number | null;
  connected: boolean;
}

export function Discussion(props: DiscussionProps) {
  const { slug, item, me, closedReason, anchor, filterClause } = props;
  const { t } = useTranslation();
  const qc = useQueryClient();
  const thread = useThread(qc, slug, item);
  const post = usePostComment(slug, item);
  const suspended = !!me?.suspendedUntil && new Date(me.suspendedUntil) > new Date();
  const readOnly = closedReason !== null || suspended;

  const pending = thread.data?.pendingIds ?? [];
  const shown = useMemo(() => {
    const hiddenIds = new Set(thread.data?.pendingIds ?? []);
    const list = (thread.data?.comments ?? []).filter((c) => !hiddenIds.has(c.id));
    return filterClause ? list.filter((c) => c.clauseKey === filterClause) : list;
  }, [thread.data, filterClause]);
  const roots = useMemo(() => buildThread(shown), [shown]);
  // The server drew one page of a longer thread: fetch the whole of it now that scripts run.
  const nextCursor = thread.data?.nextCursor ?? null;
  const refetch = thread.refetch;
  useEffect(() => {
    if (nextCursor) void refetch();
  }, [nextCursor, refetch]);

  const reveal = () => {
    const first = pending[0];
    qc.setQueryData<ThreadData>(threadKey(slug, item), (old) => (old ? { ...old, pendingIds: [] } : old));
    if (first !== undefined) {
      requestAnimationFrame(() => {
        const el = document.getElementById(`comment-${first}`);
        el?.setAttribute('tabindex', '-1');
        el?.focus();
      });
    }
  };

  const renderNodes = (nodes: ThreadNode[], depth: number, flatParent?: string) => (
    <ol className={depth === 0 ? 'thread' : depth <= MAX_INDENT ? 'replies' : 'replies replies-flat'}>
      {nodes.map((n) => (
        <li key={n.comment.id} className="thread-entry">
          <CommentCard
            comment={n.comment}
            slug={slug}
            item={item}
            me={me}
            readOnly={readOnly}
            showAnchor={depth === 0}
            inReplyTo={depth > MAX_INDENT ? flatParent : undefined}
            onAnchorClick={props.onAnchorClick}
          />
          {n.replies.length > 0 ? renderNodes(n.replies, depth + 1, n.comment.author.displayName) : null}
        </li>
      ))}
    </ol>
  );

  const anchorText = anchor.quote
    ? t('discussion.anchorQuote', { clause: anchor.clauseKey, quote: anchor.quote.exact })
    : anchor.clauseKey
      ? t('discussion.anchorClause', { clause: anchor.clauseKey })
      : t('discussion.anchorItem', { n: item });

  return (
    <section className="discussion" aria-labelledby="discussion-title" data-testid="discussion">
      <div className="discussion-head">
        <h2 id="discussion-title">{t('discussion.title')}</h2>
        <p className="discussion-status muted">
          {props.viewers !== null ? <span data-testid="presence">{t('discussion.viewing', { count: props.viewers })}</span> : null}
          {!props.connected ? <span className="offline">{t('discussion.reconnecting')}</span> : null}
        </p>
      </div>

      {me ? (
        readOnly ? (
          <p className="notice">{suspended ? t('discussion.suspended') : closedReason}</p>
        ) : (
          <Composer
            ref={props.composerRef}
            label={t('discussion.newLabel')}
            submitLabel={t('discussion.post')}
            anchor={
              <p className="composer-anchor" data-testid="composer-anchor">
                <span>{anchorText}</span>
                {anchor.quote ? (
                  <button type="button" className="button-link" onClick={props.onClearQuote}>
                    {t('discussion.clearQuote')}
                  </button>
                ) : anchor.clauseKey ? (
                  <button type="button" className="button-link" onClick={props.onClearClause}>
                    {t('discussion.wholeItem')}
                  </button>
                ) : null}
              </p>
            }
            pending={post.isPending}
            error={post.error}
            onSubmit={(body) =>
              post.mutateAsync({ body, clauseKey: anchor.clauseKey, quote: anchor.quote }).then((c) => {
                props.onClearQuote();
                requestAnimationFrame(() => document.getElementById(`comment-${c.id}`)?.scrollIntoView({ block: 'nearest' }));
              })
            }
          />
        )
      ) : (
        <p className="notice">
          <Link to={`/login?next=${encodeURIComponent(`/consultations/${slug}/items/${item}`)}`}>{t('discussion.signInToComment')}</Link>
        </p>
      )}

      {filterClause ? (
        <p className="thread-filter">
          {t('discussion.filteredTo', { clause: filterClause })}{' '}
          <button type="button" className="button-link" onClick={props.onShowAll}>
            {t('discussion.showAll')}
          </button>
        </p>
      ) : null}

      {thread.isPending ? (
        <Loading />
      ) : thread.isError ? (
        <ErrorNotice error={thread.error} onRetry={() => void thread.refetch()} />
      ) : roots.length === 0 ? (
        <p className="muted">{filterClause ? t('discussion.noneOnClause') : t('discussion.none')}</p>
      ) : (
        renderNodes(roots, 0)
      )}

      {nextCursor ? (
        <nav className="thread-pager" aria-label={t('admin.pages')}>
          {/* A real link: without scripts it opens the next page of the thread; with them the whole thread loads here. */}
          <a
            href={`?cursor=${encodeURIComponent(nextCursor)}`}
            rel="next"
            data-testid="thread-more"
            onClick={(e) => {
              e.preventDefault();
              void thread.refetch();
            }}
          >
            {t('admin.next')} <span className="dir-arrow" aria-hidden="true">→</span>
          </a>
        </nav>
      ) : null}

      {pending.length > 0 ? (
        <button type="button" className="new-comments" onClick={reveal} data-testid="new-comments">
          {t('discussion.showNew', { count: pending.length })}
        </button>
      ) : null}
    </section>
  );
}
