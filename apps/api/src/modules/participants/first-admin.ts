import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../../config/app-config.js';
import { PasswordHasher } from './password-hasher.js';
import { UsersRepository } from './users.repository.js';

/**
 * The first administrator, from ADMIN_EMAIL / ADMIN_PASSWORD, at every start: created when the
 * address is new, otherwise given the admin role with its password left alone (so a changed
 * ADMIN_PASSWORD never overwrites the one in use). Safe when several processes start at once.
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
    if (await this.users.existsByEmail(email)) {
      const row = await this.users.promoteToAdmin(email);
      if (row) this.logger.log(`administrator ${row.id} present`);
      return;
    }
    if (!password) {
      this.logger.warn('ADMIN_EMAIL is set without ADMIN_PASSWORD and the account does not exist: no administrator created');
      return;
    }
    const { row, created } = await this.users.upsertAdmin({
      email,
      passwordHash: await this.passwords.hash(password),
      displayName: ADMIN_DISPLAY_NAME,
      stakeholderGroup: ADMIN_STAKEHOLDER_GROUP,
      organization: null,
      country: null,
    });
    this.logger.log(created ? `first administrator ${row.id} created` : `administrator ${row.id} present`);
  }
}
