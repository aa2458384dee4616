import { Module } from '@nestjs/common';
import { PositionsModule } from '../positions/positions.module.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { DeviceCookies } from './device-cookie.js';
import { FirstAdmin } from './first-admin.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import { LocalStrategy } from './local.strategy.js';
import { Mailer } from './mailer.js';
import { MeController } from './me.controller.js';
import { ParticipantsService } from './participants.service.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordResetsRepository } from './password-resets.repository.js';
import { PasswordsService } from './passwords.service.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { UsersRepository } from './users.repository.js';

/** Accounts, sessions, profiles and the administrators' user management. */
@Module({
  imports: [PositionsModule],
  controllers: [AuthController, MeController, AdminUsersController],
  providers: [
    UsersRepository,
    RefreshTokensRepository,
    PasswordHasher,
    AuthService,
    ParticipantsService,
    LocalStrategy,
    LocalAuthGuard,
    FirstAdmin,
    DeviceCookies,
    PasswordResetsRepository,
    PasswordsService,
    Mailer,
  ],
  exports: [ParticipantsService],
})
export class ParticipantsModule {}
