import type { CommentView, ConsultationStatus } from '@forum/shared';
import type { QueryClient } from '@tanstack/react-query';
import type { LiveHandlers } from '../../../lib/socket';
import { consultationKey, type ConsultationDocument } from '../api/get-consultation';

/**
 * What live events change in the cached document: comment counts (visible comments only),
 * an item's lock, the consultation's status.
 */
export function documentLiveHandlers(qc: QueryClient, slug: string): LiveHandlers {
  const update = (fn: (doc: ConsultationDocument) => ConsultationDocument) =>
    qc.setQueryData<ConsultationDocument>(consultationKey(slug), (old) => (old ? fn(old) : old));
  const count = (c: CommentView, delta: number) =>
    update((doc) => ({
      ...doc,
      items: doc.items.map((it) =>
        it.number !== c.itemNumber
          ? it
          : {
              ...it,
              commentCount: typeof it.commentCount === 'number' ? Math.max(0, it.commentCount + delta) : it.commentCount,
              clauses: it.clauses.map((cl) =>
                cl.key === c.clauseKey && typeof cl.commentCount === 'number' ? { ...cl, commentCount: Math.max(0, cl.commentCount + delta) } : cl,
              ),
            },
      ),
    }));
  return {
    'comment.created': ({ comment }) => {
      if (comment.status === 'visible') count(comment, +1);
    },
    'comment.deleted': ({ comment }) => count(comment, -1),
    'comment.hidden': ({ comment }) => count(comment, -1),
    'comment.restored': ({ comment }) => count(comment, +1),
    'item.locked': ({ item, locked }) =>
      update((doc) => ({ ...doc, items: doc.items.map((it) => (it.number === item ? { ...it, locked } : it)) })),
    'consultation.updated': ({ status }) => update((doc) => ({ ...doc, status: status as ConsultationStatus })),
    // A replay renders each comment as it stands now (a comment created and then hidden arrives
    // hidden in both events), so the counts moved by a replay are read again from the server.
    synced: ({ initial }) => {
      if (!initial) void qc.invalidateQueries({ queryKey: consultationKey(slug) });
    },
    // The server ended the subscription (the consultation went back to draft): the page reads it again, and learns it is gone.
    ended: () => void qc.invalidateQueries({ queryKey: consultationKey(slug) }),
  };
}
