import type { Role, StakeholderGroup } from '@forum/shared';

/** Who is making a request, as the guards and services see it (REST and sockets alike). */
export interface AuthUser {
  id: string;
  role: Role;
  stakeholderGroup: StakeholderGroup;
  verified: boolean;
  displayName: string;
  organization: string | null;
  suspendedUntil: Date | null;
  /** The session (refresh-token family) of the access token that identified the user; absent when loaded by id. */
  sessionId?: string;
}

export function isSuspended(user: AuthUser, now = new Date()): boolean {
  return user.suspendedUntil !== null && user.suspendedUntil.getTime() > now.getTime();
}

export function isModerator(user: AuthUser | null | undefined): boolean {
  return user?.role === 'moderator' || user?.role === 'admin';
}

/** Drafts are seen by administrators only; everything else answers as if the draft did not exist (404). */
export function canSeeConsultation(status: string, viewer: Pick<AuthUser, 'role'> | null | undefined): boolean {
  return status !== 'draft' || viewer?.role === 'admin';
}

export interface AccessTokenClaims {
  sub: string;
  role: Role;
  /** The session: the refresh-token family of the sign-in. */
  sid: string;
}
