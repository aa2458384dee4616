import type { AuthorView, UserView } from '@forum/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import type { UserRow } from './users.repository.js';

/** The user object of the contract: what GET /me and the admin routes answer. Never a hash. */
export function toUserView(u: UserRow): UserView {
  return {
    id: u.id,
    email: u.email,
    displayName: u.display_name,
    stakeholderGroup: u.stakeholder_group,
    organization: u.organization,
    country: u.country,
    verified: u.verified,
    role: u.role,
    suspendedUntil: u.suspended_until ? new Date(u.suspended_until).toISOString() : null,
  };
}

/**
 * The public face of a participant, as comments and positions show it (no e-mail): accepts a
 * users row or an AuthUser.
 */
export function toAuthorView(u: Pick<UserRow, 'id' | 'display_name' | 'stakeholder_group' | 'organization' | 'verified'> | AuthUser): AuthorView {
  if ('displayName' in u) {
    return { id: u.id, displayName: u.displayName, stakeholderGroup: u.stakeholderGroup, organization: u.organization, verified: u.verified };
  }
  return { id: u.id, displayName: u.display_name, stakeholderGroup: u.stakeholder_group, organization: u.organization, verified: u.verified };
}
