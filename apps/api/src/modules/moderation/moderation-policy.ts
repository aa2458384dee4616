import type { Role } from '@forum/shared';
import { type AuthUser, isModerator, isSuspended } from '../../common/auth/auth-user.js';

/**
 * Who may moderate whom — pure rules, so they read in one place and are unit-tested.
 * Each answers null when allowed, or the reason for a 403.
 *
 * - Only moderators and administrators act, and not while suspended.
 * - Nobody acts on their own comment (a conflict of interest; an author can delete instead).
 * - A moderator does not act on an administrator's comment; an administrator acts on anyone's.
 * - A suspension goes strictly down the ranks: a moderator suspends participants, an
 *   administrator participants and moderators; nobody suspends an administrator or themselves.
 */
const RANK: Record<Role, number> = { participant: 0, moderator: 1, admin: 2 };

export function actorProblem(actor: AuthUser, now = new Date()): string | null {
  if (!isModerator(actor)) return 'requires role: moderator or admin';
  if (isSuspended(actor, now)) return 'your account is suspended: you cannot moderate';
  return null;
}

export function commentActionProblem(actor: AuthUser, author: { id: string; role: Role }): string | null {
  if (author.id === actor.id) return 'you cannot moderate your own comment';
  if (author.role === 'admin' && actor.role !== 'admin') return "a moderator cannot moderate an administrator's comment";
  return null;
}

export function suspensionProblem(actor: AuthUser, target: { id: string; role: Role }): string | null {
  if (target.id === actor.id) return 'you cannot suspend yourself';
  if (target.role === 'admin') return 'an administrator cannot be suspended';
  if (RANK[target.role] >= RANK[actor.role]) return 'only an administrator can suspend a moderator';
  return null;
}
