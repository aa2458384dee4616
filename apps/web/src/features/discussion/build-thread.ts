import type { CommentView } from '@forum/shared';

export interface ThreadNode {
  comment: CommentView;
  replies: ThreadNode[];
}

/**
 * Comments (oldest first) as a forest: replies under their parent, in order. A reply whose
 * parent is not in the list (filtered out, or not loaded) stands as a root.
 */
export function buildThread(comments: CommentView[]): ThreadNode[] {
  const nodes = new Map<number, ThreadNode>();
  for (const c of comments) nodes.set(c.id, { comment: c, replies: [] });
  const roots: ThreadNode[] = [];
  for (const c of comments) {
    const node = nodes.get(c.id)!;
    const parent = c.parentId !== null ? nodes.get(c.parentId) : undefined;
    if (parent) parent.replies.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Comments per clause key and in all, counting what readers can see (as the document endpoint does). */
export function countVisible(comments: CommentView[]): { total: number; byClause: Map<string, number> } {
  const byClause = new Map<string, number>();
  let total = 0;
  for (const c of comments) {
    if (c.status !== 'visible') continue;
    total++;
    if (c.clauseKey) byClause.set(c.clauseKey, (byClause.get(c.clauseKey) ?? 0) + 1);
  }
  return { total, byClause };
}
