import type { CommentView, UserView } from '@forum/shared';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GroupBadge, VerifiedMark } from '../../../components/ui/badges';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { formatDateTime } from '../../../lib/format';
import { useHydrated } from '../../../lib/hydration';
import { useDeleteComment } from '../api/delete-comment';
import { useEditComment } from '../api/edit-comment';
import { usePostComment } from '../api/post-comment';
import { CommentBody } from './comment-body';
import { Composer } from './composer';
import { FlagForm } from './flag-form';
import { RevisionList } from './revision-list';

interface CommentCardProps {
  comment: CommentView;
  slug: string;
  item: number;
  me: UserView | null;
  /** Writes refused (closed consultation, locked item, suspended): no reply/edit buttons. */
  readOnly: boolean;
  /** Shown when the reply is drawn flat (indentation capped): whom it answers. */
  inReplyTo?: string;
  /** Show the anchor (clause, quote): for comments that start a thread. */
  showAnchor: boolean;
  onAnchorClick?: (clauseKey: string) => void;
}

type Mode = 'idle' | 'reply' | 'edit' | 'delete' | 'flag' | 'revisions';

export function CommentCard({ comment: c, slug, item, me, readOnly, inReplyTo, showAnchor, onAnchorClick }: CommentCardProps) {
  const { t, i18n } = useTranslation();
  const lang = i18n.resolvedLanguage ?? 'zh';
  const [mode, setMode] = useState<Mode>('idle');
  const hydrated = useHydrated();
  const reply = usePostComment(slug, item);
  const edit = useEditComment(slug, item);
  const del = useDeleteComment(slug, item);
  const mine = !!me && me.id === c.author.id;
  const toggle = (m: Mode) => setMode((cur) => (cur === m ? 'idle' : m));

  if (c.status === 'deleted') {
    return (
      <article className="comment comment-removed" id={`comment-${c.id}`} data-status="deleted">
        <p className="muted">{t('discussion.deleted')}</p>
      </article>
    );
  }

  const hidden = c.status === 'hidden';
  return (
    <article className={`comment${hidden ? ' comment-removed' : ''}`} id={`comment-${c.id}`} data-status={c.status} aria-labelledby={`comment-${c.id}-author`}>
      <header className="comment-header">
        <span className="comment-author" id={`comment-${c.id}-author`}>
          {c.author.displayName}
        </span>
        <GroupBadge group={c.author.stakeholderGroup} />
        <VerifiedMark verified={c.author.verified} />
        {c.author.organization ? <span className="comment-org">{c.author.organization}</span> : null}
        <time dateTime={c.createdAt} className="comment-time">
          {formatDateTime(c.createdAt, lang, hydrated ? undefined : 'UTC')}
        </time>
        {c.editedAt ? (
          <button type="button" className="button-link comment-edited" aria-expanded={mode === 'revisions'} onClick={() => toggle('revisions')}>
            {t('discussion.edited')}
          </button>
        ) : null}
      </header>
      {inReplyTo ? <p className="comment-in-reply muted">{t('discussion.inReplyTo', { name: inReplyTo })}</p> : null}
      {showAnchor && c.clauseKey ? (
        <p className="comment-anchor">
          <button type="button" className="chip" onClick={() => onAnchorClick?.(c.clauseKey!)}>
            {t('discussion.onClause', { clause: c.clauseKey })}
          </button>
        </p>
      ) : null}
      {showAnchor && c.quote ? (
        <blockquote className="comment-quote" lang={c.quote.lang === 'zh' ? 'zh-CN' : 'en'}>
          {c.quote.exact}
        </blockquote>
      ) : null}
      {hidden ? (
        <div className="muted">
          <p>{c.hiddenReason ? t('discussion.hiddenWithReason', { reason: c.hiddenReason }) : t('discussion.hidden')}</p>
          {c.body ? (
            <details>
              <summary>{t('discussion.showHidden')}</summary>
              <CommentBody source={c.body} />
            </details>
          ) : null}
        </div>
      ) : mode === 'edit' ? (
        <Composer
          label={t('discussion.editLabel')}
          submitLabel={t('common.save')}
          initial={c.body ?? ''}
          pending={edit.isPending}
          error={edit.error}
          onSubmit={(body) => edit.mutateAsync({ id: c.id, body }).then(() => setMode('idle'))}
          onCancel={() => setMode('idle')}
        />
      ) : c.body !== null ? (
        <CommentBody source={c.body} />
      ) : null}
      {mode === 'revisions' ? <RevisionList commentId={c.id} /> : null}
      {!hidden && mode !== 'edit' ? (
        <div className="comment-actions">
          {me && !readOnly ? (
            <button type="button" className="button-link" aria-expanded={mode === 'reply'} onClick={() => toggle('reply')}>
              {t('discussion.reply')}
            </button>
          ) : null}
          {mine && !readOnly ? (
            <>
              <button type="button" className="button-link" onClick={() => setMode('edit')}>
                {t('common.edit')}
              </button>
              <button type="button" className="button-link" aria-expanded={mode === 'delete'} onClick={() => toggle('delete')}>
                {t('common.delete')}
              </button>
            </>
          ) : null}
          {me && !mine ? (
            <button type="button" className="button-link" aria-expanded={mode === 'flag'} onClick={() => toggle('flag')}>
              {t('discussion.flag')}
            </button>
          ) : null}
        </div>
      ) : null}
      {mode === 'delete' ? (
        <div className="confirm" role="group" aria-label={t('discussion.deleteConfirm')}>
          <p>{t('discussion.deleteConfirm')}</p>
          {del.isError ? <ErrorNotice error={del.error} /> : null}
          <div className="actions">
            <button type="button" className="button-danger" disabled={del.isPending} onClick={() => del.mutate(c.id, { onSuccess: () => setMode('idle') })}>
              {t('common.delete')}
            </button>
            <button type="button" className="button-secondary" onClick={() => setMode('idle')}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : null}
      {mode === 'flag' ? <FlagForm commentId={c.id} onDone={() => setMode('idle')} /> : null}
      {mode === 'reply' ? (
        <Composer
          label={t('discussion.replyLabel', { name: c.author.displayName })}
          submitLabel={t('discussion.reply')}
          pending={reply.isPending}
          error={reply.error}
          onSubmit={(body) => reply.mutateAsync({ body, parentId: c.id }).then(() => setMode('idle'))}
          onCancel={() => setMode('idle')}
        />
      ) : null}
    </article>
  );
}
