import type { AuthUser } from '../../common/auth/auth-user.js';
import { canSeeCommentBody } from './comment-visibility.js';
import { decodeCursor, encodeCursor, toCommentView } from './discussion.mapper.js';
import type { CommentRow } from './discussion.repository.js';

const user = (id: string, role: AuthUser['role'] = 'participant'): AuthUser => ({
  id,
  role,
  stakeholderGroup: 'academia',
  verified: true,
  displayName: id,
  organization: null,
  suspendedUntil: null,
});
const author = user('author');
const other = user('other');
const moderator = user('mod', 'moderator');

const row = (status: CommentRow['status'], hidden_reason: string | null = null): CommentRow => ({
  id: '42',
  consultation_id: 'c',
  item_id: 'i',
  item_number: 13,
  clause_key: '13.2',
  quote: null,
  parent_id: '41',
  root_id: '41',
  depth: 1,
  author_id: 'author',
  body: 'the text',
  status,
  hidden_reason,
  created_at: new Date('2026-01-01T00:00:00Z'),
  edited_at: null,
  author_display_name: 'A',
  author_stakeholder_group: 'academia',
  author_organization: null,
  author_verified: true,
});

describe('canSeeCommentBody', () => {
  it('shows a visible body to everyone', () => {
    for (const viewer of [author, other, moderator, undefined, 'public' as const]) expect(canSeeCommentBody(row('visible'), viewer)).toBe(true);
  });
  it('shows a hidden body to its author only', () => {
    expect(canSeeCommentBody(row('hidden'), author)).toBe(true);
    for (const viewer of [other, moderator, undefined, 'public' as const]) expect(canSeeCommentBody(row('hidden'), viewer)).toBe(false);
  });
  it('never shows a deleted body, not even to its author', () => {
    for (const viewer of [author, other, moderator, undefined, 'public' as const]) expect(canSeeCommentBody(row('deleted'), viewer)).toBe(false);
  });
});

describe('toCommentView', () => {
  it('gives ids as numbers and the reason of a hidden comment to everyone', () => {
    const v = toCommentView(row('hidden', 'spam'), 'public');
    expect(v).toMatchObject({ id: 42, parentId: 41, body: null, status: 'hidden', hiddenReason: 'spam', createdAt: '2026-01-01T00:00:00.000Z' });
    expect(toCommentView(row('hidden', 'spam'), author).body).toBe('the text');
    expect(toCommentView(row('deleted', 'spam'), author)).toMatchObject({ body: null, hiddenReason: null });
  });
});

describe('cursors', () => {
  it('round-trip and refuse anything else', () => {
    expect(decodeCursor(encodeCursor(12345))).toBe(12345);
    expect(decodeCursor('12345')).toBeNull();
    expect(decodeCursor(Buffer.from('after:0').toString('base64url'))).toBeNull();
    expect(decodeCursor(Buffer.from('after:99999999999999999').toString('base64url'))).toBeNull();
    expect(decodeCursor('a/b')).toBeNull();
  });
});
