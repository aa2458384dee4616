import { COMMENTS_PAGE_MAX, type CommentsPage, type CommentView } from '@forum/shared';
import { queryOptions, useQuery, type QueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/**
 * An item's whole thread, oldest first, as the cache holds it. `pendingIds` are comments that
 * arrived while the reader was reading: they are kept but not shown until the reader asks
 * ("n new"), so nothing moves under their eyes.
 */
export interface ThreadData {
  comments: CommentView[];
  pendingIds: number[];
  /**
   * Set when the cache holds one page only (the server renders the first page, or the page a
   * `?cursor=` link asks for): the cursor of the page after it. The browser then loads the whole
   * thread; without scripts the reader follows the "more" link.
   */
  nextCursor?: string | null;
}

export const threadKey = (slug: string, item: number) => ['comments', slug, item] as const;

/** Every page of the thread (the API pages by `limit` ≤ 100 with an opaque cursor). */
export async function getAllComments(slug: string, item: number, signal?: AbortSignal): Promise<CommentView[]> {
  const out: CommentView[] = [];
  const seen = new Set<number>();
  let cursor: string | null = null;
  for (let page = 0; page < 1000; page++) {
    const res: CommentsPage = await api<CommentsPage>(`/consultations/${encodeURIComponent(slug)}/items/${item}/comments`, {
      query: { limit: COMMENTS_PAGE_MAX, cursor: cursor ?? undefined },
      signal,
    });
    for (const c of res.comments) {
      if (seen.has(c.id)) continue;
      seen.add(c.id);
      out.push(c);
    }
    cursor = res.nextCursor;
    if (!cursor) break;
  }
  return out;
}

export const threadQuery = (qc: QueryClient, slug: string, item: number) =>
  queryOptions({
    queryKey: threadKey(slug, item),
    queryFn: async ({ signal }): Promise<ThreadData> => {
      const comments = await getAllComments(slug, item, signal);
      const before = qc.getQueryData<ThreadData>(threadKey(slug, item));
      if (!before) return { comments, pendingIds: [] };
      // A refetch (after subscribing, after a reconnect) must not push new comments into view either.
      const known = new Set(before.comments.map((c) => c.id));
      const pending = new Set(before.pendingIds);
      // After one server-rendered page, the rest of the thread is not news: it is shown at once.
      const onePage = before.nextCursor !== undefined;
      if (!onePage) for (const c of comments) if (!known.has(c.id)) pending.add(c.id);
      // Comments we hold that the server did not list (e.g. arrived live after its snapshot) stay.
      const listed = new Set(comments.map((c) => c.id));
      const extra = before.comments.filter((c) => !listed.has(c.id));
      const merged = [...comments, ...extra].sort(byTimeThenId);
      return { comments: merged, pendingIds: [...pending].filter((id) => merged.some((c) => c.id === id)) };
    },
  });

export function byTimeThenId(a: CommentView, b: CommentView): number {
  return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id - b.id;
}

export function useThread(qc: QueryClient, slug: string, item: number) {
  return useQuery({ ...threadQuery(qc, slug, item), enabled: Number.isInteger(item) && item >= 0 });
}

/** Put a comment into the cached thread (replacing an older copy); `pending` hides a new one until revealed. */
export function upsertComment(qc: QueryClient, slug: string, item: number, comment: CommentView, opts: { pending: boolean }): void {
  qc.setQueryData<ThreadData>(threadKey(slug, item), (old) => {
    if (!old) return old; // not loaded yet: the fetch will bring it
    const i = old.comments.findIndex((c) => c.id === comment.id);
    if (i >= 0) {
      const comments = old.comments.slice();
      comments[i] = comment;
      return { ...old, comments };
    }
    const comments = [...old.comments, comment].sort(byTimeThenId);
    return { comments, pendingIds: opts.pending ? [...old.pendingIds, comment.id] : old.pendingIds };
  });
}
