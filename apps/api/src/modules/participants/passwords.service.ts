import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { ChangePasswordInput, PasswordResetInput, PasswordResetLink } from '@forum/shared';
import { createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { badInput, DomainError, ErrorKind, notFound } from '../../common/errors/domain-error.js';
import { RateLimiter } from '../../common/throttle/rate-limiter.service.js';
import { AppConfig } from '../../config/app-config.js';
import { Mailer } from './mailer.js';
import { PasswordHasher } from './password-hasher.js';
import { PasswordResetsRepository } from './password-resets.repository.js';
import { RefreshTokensRepository } from './refresh-tokens.repository.js';
import { UsersRepository } from './users.repository.js';

/** An administrator's link is handed over by hand, so it lives a day; an e-mailed one an hour. */
export const ADMIN_LINK_TTL_MINUTES = 24 * 60;
export const MAILED_LINK_TTL_MINUTES = 60;
/** Reset mails per account per hour, whoever asks: asking cannot flood someone's mailbox. */
const MAILS_PER_ACCOUNT_PER_HOUR = 3;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/**
 * Passwords after sign-up: a participant changes their own (the other sessions end); an
 * administrator issues a one-time reset link; with SMTP_URL, a participant asks for one by mail.
 * A link's token is shown or sent once and kept only as a hash; using it sets the password and
 * ends every session of the account.
 */
@Injectable()
export class PasswordsService {
  private readonly logger = new Logger('Passwords');

  constructor(
    private readonly users: UsersRepository,
    private readonly refreshTokens: RefreshTokensRepository,
    private readonly resets: PasswordResetsRepository,
    private readonly passwords: PasswordHasher,
    private readonly mailer: Mailer,
    private readonly limiter: RateLimiter,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  get resetByEmail(): boolean {
    return this.mailer.enabled;
  }

  /** The participant's own password; every session but the one asking is signed out. */
  async change(user: AuthUser, input: ChangePasswordInput): Promise<void> {
    const ok = await this.passwords.verify(await this.users.findPasswordHash(user.id), input.current);
    if (!ok) throw badInput('current', 'is not your current password');
    if (input.next === input.current) throw badInput('next', 'must differ from the current password');
    const hash = await this.passwords.hash(input.next);
    const ended = await this.db.transaction(async (tx) => {
      await this.users.setPasswordHash(tx, user.id, hash);
      return this.refreshTokens.revokeAllOfUser(tx, user.id, user.sessionId);
    });
    this.logger.log(`user ${user.id} changed their password; ${ended} refresh token(s) of other sessions revoked`);
  }

  /** A one-time link for a participant, issued by an administrator; `base` is the forum's address. */
  async issueLink(actor: AuthUser, userId: string, base: string): Promise<PasswordResetLink> {
    const target = await this.users.findById(userId);
    if (!target) throw notFound('user');
    const { token, expiresAt } = await this.newLink(target.id, actor.id, ADMIN_LINK_TTL_MINUTES);
    this.logger.log(`admin ${actor.id} issued a password-reset link for user ${target.id}, valid until ${expiresAt.toISOString()}`);
    return { url: resetUrl(base, token), expiresAt: expiresAt.toISOString() };
  }

  /** Sets the password through a link: once, before it expires; every session of the account ends. */
  async reset(input: PasswordResetInput): Promise<void> {
    const hash = await this.passwords.hash(input.password);
    const used = await this.db.transaction(async (tx) => {
      const link = await this.resets.lockByHash(tx, hashToken(input.token));
      if (!link) throw badInput('token', 'this reset link is not valid (a newer link replaces older ones); ask for a new one');
      if (link.used_at) throw badInput('token', 'this reset link has already been used; ask for a new one');
      if (link.expired) throw badInput('token', 'this reset link has expired; ask for a new one');
      await this.users.setPasswordHash(tx, link.user_id, hash);
      await this.resets.markUsed(tx, link.id);
      await this.resets.deleteUnused(tx, link.user_id);
      await this.refreshTokens.revokeAllOfUser(tx, link.user_id);
      return link;
    });
    const how = used.issued_by ? `issued by admin ${used.issued_by}` : 'requested by e-mail';
    this.logger.log(`user ${used.user_id} set a new password with a one-time link (${how}); every session signed out`);
  }

  /**
   * A participant asks for a link by e-mail. The caller learns nothing (the route answers 202
   * at once, whatever the address): the account is looked up and the mail sent afterwards.
   */
  requestByEmail(email: string): void {
    if (!this.mailer.enabled) {
      throw new DomainError(ErrorKind.NotFound, 'password reset by e-mail is not available on this forum (no mail server configured); ask an administrator for a reset link');
    }
    void this.mailLink(email).catch((err: unknown) => this.logger.warn(`password-reset mail not sent: ${(err as Error).message}`));
  }

  private async mailLink(email: string): Promise<void> {
    const user = await this.users.findByEmail(email);
    if (!user) return;
    const quota = await this.limiter.consume('password-reset-mail', user.id, MAILS_PER_ACCOUNT_PER_HOUR, 3600);
    if (!quota.allowed) {
      this.logger.warn(`password-reset mail for user ${user.id} not sent: ${MAILS_PER_ACCOUNT_PER_HOUR} already sent this hour`);
      return;
    }
    const { token, expiresAt } = await this.newLink(user.id, null, MAILED_LINK_TTL_MINUTES);
    const url = resetUrl(this.config.env.PUBLIC_URL!, token);
    await this.mailer.send({
      to: user.email,
      subject: '重置密码 / Reset your password',
      text: [
        `${user.display_name}：`,
        '',
        `有人（希望是您本人）请求重置您在咨询论坛的密码。请在 ${MAILED_LINK_TTL_MINUTES} 分钟内打开以下链接设置新密码，该链接只能使用一次：`,
        url,
        '如果这不是您的请求，请忽略此邮件，您的密码不会改变。',
        '',
        '---',
        '',
        `Dear ${user.display_name},`,
        '',
        `Someone (we hope you) asked to reset your password on the consultation forum. Open this link within ${MAILED_LINK_TTL_MINUTES} minutes to set a new one; it works once:`,
        url,
        'If you did not ask, ignore this mail: your password stays as it is.',
        '',
        `(${expiresAt.toISOString()})`,
      ].join('\n'),
    });
    this.logger.log(`password-reset link mailed to user ${user.id}`);
  }

  private async newLink(userId: string, issuedBy: string | null, ttlMinutes: number): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = await this.db.transaction((tx) => this.resets.replace(tx, { userId, tokenHash: hashToken(token), issuedBy, ttlMinutes }));
    return { token, expiresAt: new Date(expiresAt) };
  }
}

/** The web page that takes the token; in the fragment, so it never reaches a server log or a Referer. */
function resetUrl(base: string, token: string): string {
  return `${base.replace(/\/+$/, '')}/reset-password#token=${token}`;
}
