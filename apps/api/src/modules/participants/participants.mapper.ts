import type { UserView } from '@forum/shared';
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
