import type { CommentStatus } from '@forum/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';

/**
 * Who looks at a comment: a signed-in user, a guest (undefined), or 'public' — the form that
 * anyone may receive (live events, exports, the report). A guest and 'public' see the same.
 */
export type CommentViewer = AuthUser | undefined | 'public';

/** The parts of a comment the rule looks at (a row of `comments`). */
export interface CommentVisibilityFacts {
  status: CommentStatus;
  author_id: string;
}

/**
 * THE visibility rule of comment text, used by threads, live events, revisions, exports, the
 * report and moderation alike:
 * - visible: everyone sees the body;
 * - deleted (by its author): nobody, the author included — it keeps its place without its body;
 * - hidden (by a moderator): only its author sees the body (everyone sees the status and the
 *   reason, which the mapper always includes for a hidden comment).
 * Moderators read hidden text through moderation's own views, not through threads.
 */
export function canSeeCommentBody(comment: CommentVisibilityFacts, viewer: CommentViewer): boolean {
  switch (comment.status) {
    case 'visible':
      return true;
    case 'deleted':
      return false;
    case 'hidden':
      return viewer !== undefined && viewer !== 'public' && viewer.id === comment.author_id;
    default:
      return false;
  }
}
