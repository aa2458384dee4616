import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { AdminUserList, AdminUsersQuery, Role, UpdateMeInput, UserView } from '@forum/shared';
import type { DataSource, EntityManager } from 'typeorm';
import { type AuthUser, isSuspended } from '../../common/auth/auth-user.js';
import { conflict, forbidden, notFound } from '../../common/errors/domain-error.js';
import { ConsultationWrites } from '../../database/consultation-writes.js';
import { TallyService } from '../positions/tally.service.js';
import { toUserView } from './participants.mapper.js';
import { UsersRepository, type UserRow } from './users.repository.js';

export type { UserRow };

/** Profiles, and the administrators' work on them: verifying a stakeholder group, setting a role. */
@Injectable()
export class ParticipantsService {
  private readonly logger = new Logger('Participants');

  constructor(
    private readonly users: UsersRepository,
    private readonly tallies: TallyService,
    private readonly writes: ConsultationWrites,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async me(user: AuthUser): Promise<UserView> {
    const row = await this.users.findById(user.id);
    if (!row) throw notFound('user');
    return toUserView(row);
  }

  /** A participant's own name, organisation, country or group; a new group loses the verified badge. */
  async updateMe(user: AuthUser, input: UpdateMeInput): Promise<UserView> {
    if (isSuspended(user)) throw forbidden('a suspended participant cannot change their profile');
    const row = await this.writes.runAcross((tx) => this.tallies.participantConsultations(tx, user.id), async (tx, outbox) => {
      const before = await this.users.lockUser(tx, user.id);
      if (!before) throw notFound('user');
      const after = (await this.users.updateProfile(tx, user.id, input))!;
      // the counts moved with the row (a trigger); live viewers learn of it, last in the transaction
      if (after.stakeholder_group !== before.stakeholder_group || after.verified !== before.verified) {
        await this.tallies.publishParticipantTallies(tx, outbox, user.id);
      }
      return after;
    });
    return toUserView(row);
  }

  async list(query: AdminUsersQuery): Promise<AdminUserList> {
    const { rows, total } = await this.users.search({
      q: query.q || undefined,
      verified: query.verified === undefined ? undefined : query.verified === 'true',
      role: query.role,
      limit: query.limit,
      offset: query.offset,
    });
    return { users: rows.map(toUserView), total, limit: query.limit, offset: query.offset };
  }

  /**
   * Verifies (or un-verifies) a participant's stakeholder group. The tally counts per (group,
   * verified) follow the UPDATE by a trigger on users; the changed tallies go out live from the
   * same transaction.
   */
  async setVerified(actor: AuthUser, id: string, verified: boolean): Promise<UserView> {
    const row = await this.writes.runAcross((tx) => this.tallies.participantConsultations(tx, id), async (tx, outbox) => {
      const before = await this.users.lockUser(tx, id);
      if (!before) throw notFound('user');
      if (before.verified === verified) return before;
      const after = (await this.users.setVerified(tx, id, verified))!;
      await this.tallies.publishParticipantTallies(tx, outbox, id);
      return after;
    });
    this.logger.log(`admin ${actor.id} set verified=${verified} on user ${id}`);
    return toUserView(row);
  }

  /**
   * Appoints or removes moderators and administrators. The administrators' rows are locked
   * first, so two administrators demoting each other at once cannot leave the forum without one.
   */
  async setRole(actor: AuthUser, id: string, role: Role): Promise<UserView> {
    const row = await this.db.transaction(async (tx) => {
      const admins = await this.users.lockAdmins(tx);
      const target = await this.users.lockUser(tx, id);
      if (!target) throw notFound('user');
      if (target.role === 'admin' && role !== 'admin' && admins.length <= 1) {
        throw conflict('the last administrator cannot be demoted; appoint another administrator first');
      }
      if (target.role === role) return target;
      return (await this.users.setRole(tx, id, role))!;
    });
    this.logger.log(`admin ${actor.id} set role=${role} on user ${id}`);
    return toUserView(row);
  }

  /** The participant's row, locked until `tx` ends (for moderation's suspensions), or null. */
  lockForSuspension(tx: EntityManager, id: string): Promise<UserRow | null> {
    return this.users.lockUser(tx, id);
  }

  /** Suspends a participant until `until` (null lifts it), inside the moderation's transaction that logs it. */
  async setSuspendedUntil(tx: EntityManager, id: string, until: Date | null): Promise<UserRow> {
    const row = await this.users.setSuspendedUntil(tx, id, until);
    if (!row) throw notFound('user');
    return row;
  }
}
