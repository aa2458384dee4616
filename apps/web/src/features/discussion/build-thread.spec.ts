import type { CommentView } from '@forum/shared';
import { buildThread, countVisible } from './build-thread';

const c = (id: number, parentId: number | null, over: Partial<CommentView> = {}): CommentView => ({
  id,
  itemNumber: 13,
  clauseKey: null,
  quote: null,
  parentId,
  depth: 0,
  body: `comment ${id}`,
  author: { id: 'a', displayName: 'A', stakeholderGroup: 'academia', organization: null, verified: false },
  status: 'visible',
  hiddenReason: null,
  createdAt: `2026-01-01T00:00:0${id}Z`,
  editedAt: null,
  ...over,
});

describe('buildThread', () => {
  it('puts replies under their parents in order, and a reply whose parent is absent at the top', () => {
    const roots = buildThread([c(1, null), c(2, 1), c(3, null), c(4, 2), c(5, 1), c(6, 99)]);
    expect(roots.map((n) => n.comment.id)).toEqual([1, 3, 6]);
    expect(roots[0]!.replies.map((n) => n.comment.id)).toEqual([2, 5]);
    expect(roots[0]!.replies[0]!.replies.map((n) => n.comment.id)).toEqual([4]);
  });
});

describe('countVisible', () => {
  it('counts visible comments per clause and in all, leaving out hidden and deleted ones', () => {
    const counts = countVisible([
      c(1, null, { clauseKey: '13.2' }),
      c(2, 1, { clauseKey: '13.2' }),
      c(3, null, { clauseKey: '13.2', status: 'hidden', body: null }),
      c(4, null, { clauseKey: '13.1', status: 'deleted', body: null }),
      c(5, null),
    ]);
    expect(counts.total).toBe(3);
    expect(Object.fromEntries(counts.byClause)).toEqual({ '13.2': 2 });
  });
});
