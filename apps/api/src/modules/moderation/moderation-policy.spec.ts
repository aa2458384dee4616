import type { Role } from '@forum/shared';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { actorProblem, commentActionProblem, suspensionProblem } from './moderation-policy.js';

const user = (id: string, role: Role, suspendedUntil: Date | null = null): AuthUser => ({
  id,
  role,
  stakeholderGroup: 'academia',
  verified: true,
  displayName: id,
  organization: null,
  suspendedUntil,
});

const now = new Date('2026-11-28T12:00:00Z');

describe('who may act', () => {
  it('lets moderators and administrators act, not participants, not while suspended', () => {
    expect(actorProblem(user('m', 'moderator'), now)).toBeNull();
    expect(actorProblem(user('a', 'admin'), now)).toBeNull();
    expect(actorProblem(user('p', 'participant'), now)).toMatch(/role/);
    expect(actorProblem(user('m', 'moderator', new Date('2026-12-01T00:00:00Z')), now)).toMatch(/suspended/);
    expect(actorProblem(user('m', 'moderator', new Date('2026-11-01T00:00:00Z')), now)).toBeNull();
  });
});

describe('acting on a comment', () => {
  it("refuses one's own comment and, for a moderator, an administrator's", () => {
    const mod = user('m', 'moderator');
    const admin = user('a', 'admin');
    expect(commentActionProblem(mod, { id: 'p', role: 'participant' })).toBeNull();
    expect(commentActionProblem(mod, { id: 'm2', role: 'moderator' })).toBeNull();
    expect(commentActionProblem(mod, { id: 'm', role: 'moderator' })).toMatch(/own comment/);
    expect(commentActionProblem(mod, { id: 'a', role: 'admin' })).toMatch(/administrator/);
    expect(commentActionProblem(admin, { id: 'a2', role: 'admin' })).toBeNull();
    expect(commentActionProblem(admin, { id: 'a', role: 'admin' })).toMatch(/own comment/);
  });
});

describe('suspending', () => {
  it('goes strictly down the ranks and never reaches oneself or an administrator', () => {
    const mod = user('m', 'moderator');
    const admin = user('a', 'admin');
    expect(suspensionProblem(mod, { id: 'p', role: 'participant' })).toBeNull();
    expect(suspensionProblem(mod, { id: 'm2', role: 'moderator' })).toMatch(/only an administrator/);
    expect(suspensionProblem(mod, { id: 'm', role: 'moderator' })).toMatch(/yourself/);
    expect(suspensionProblem(mod, { id: 'a', role: 'admin' })).toMatch(/administrator cannot be suspended/);
    expect(suspensionProblem(admin, { id: 'm', role: 'moderator' })).toBeNull();
    expect(suspensionProblem(admin, { id: 'a2', role: 'admin' })).toMatch(/administrator cannot be suspended/);
    expect(suspensionProblem(admin, { id: 'a', role: 'admin' })).toMatch(/yourself/);
  });
});
