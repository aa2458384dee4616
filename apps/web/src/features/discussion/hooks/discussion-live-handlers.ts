import type { CommentView } from '@forum/shared';
import type { QueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { announce } from '../../../lib/announce';
import type { LiveHandlers } from '../../../lib/socket';
import { upsertComment } from '../api/get-comments';

/**
 * What the live comment events do to the cached thread of one item. A new comment by someone
 * else is held back as "pending" and announced politely; changes to comments already shown
 * (edit, delete, hide, restore) apply in place.
 */
export function discussionLiveHandlers(qc: QueryClient, slug: string, item: number, myId: () => string | null, t: TFunction): LiveHandlers {
  const apply = (comment: CommentView) => {
    if (comment.itemNumber !== item) return;
    upsertComment(qc, slug, item, comment, { pending: comment.author.id !== myId() });
  };
  return {
    'comment.created': ({ comment }) => {
      if (comment.itemNumber !== item) return;
      const mine = comment.author.id === myId();
      upsertComment(qc, slug, item, comment, { pending: !mine });
      if (!mine) announce(t('discussion.announceNew', { name: comment.author.displayName }));
    },
    'comment.updated': ({ comment }) => apply(comment),
    'comment.deleted': ({ comment }) => apply(comment),
    'comment.hidden': ({ comment }) => apply(comment),
    'comment.restored': ({ comment }) => apply(comment),
  };
}
