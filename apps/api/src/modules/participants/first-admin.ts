import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { PasswordHasher } from './password-hasher.js';
import { UsersRepository } from './users.repository.js';

/**
 * The first administrator, from ADMIN_EMAIL / ADMIN_PASSWORD, at every start: created when no
 * account has that address. An existing account is never promoted (someone may have registered
 * the address first) and its password is never touched: the log says so, and an administrator
 * appoints others from the admin page. Safe when several processes start at once.
 */
@Injectable()
export class FirstAdmin implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstAdmin');

  constructor(
    private readonly users: UsersRepository,
    private readonly passwords: PasswordHasher,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { ADMIN_EMAIL: email, ADMIN_PASSWORD: password, ADMIN_DISPLAY_NAME, ADMIN_STAKEHOLDER_GROUP } = this.config.env;
    if (!email) return;
    const existing = await this.users.findByEmail(email);
    if (existing) return this.leave(existing);
    if (!password) {
      this.logger.warn('ADMIN_EMAIL is set without ADMIN_PASSWORD and the account does not exist: no administrator created');
      return;
    }
    const created = await this.users.insertAdminIfAbsent({
      email,
      passwordHash: await this.passwords.hash(password),
      displayName: ADMIN_DISPLAY_NAME,
      stakeholderGroup: ADMIN_STAKEHOLDER_GROUP,
      organization: null,
      country: null,
    });
    if (created) {
      this.logger.log(`first administrator ${created.id} created`);
      return;
    }
    // another process, or a sign-up, took the address between the check and the insert
    const raced = await this.users.findByEmail(email);
    if (raced) this.leave(raced);
  }

  private leave(row: { id: string; role: string }): void {
    if (row.role === 'admin') {
      this.logger.log(`administrator ${row.id} (ADMIN_EMAIL) present`);
      return;
    }
    this.logger.warn(
      `ADMIN_EMAIL names an existing account (${row.id}, role ${row.role}) that is not an administrator: it is left as it is, not promoted; ` +
        'an administrator can appoint it on the admin page',
    );
  }
}
