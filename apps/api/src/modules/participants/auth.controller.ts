import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  loginSchema,
  passwordResetRequestSchema,
  passwordResetSchema,
  registerSchema,
  type AuthOptions,
  type AuthResponse,
  type PasswordResetInput,
  type PasswordResetRequestInput,
  type RefreshResponse,
  type RegisterInput,
} from '@forum/shared';
import type { Request, Response } from 'express';
import type { AuthUser } from '../../common/auth/auth-user.js';
import { CurrentUser, Public } from '../../common/auth/decorators.js';
import { AddressRate } from '../../common/throttle/address-rate.guard.js';
import { ApiZodBody } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { AppConfig } from '../../config/app-config.js';
import { AuthService, type Session } from './auth.service.js';
import { DeviceCookies } from './device-cookie.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import { PasswordsService } from './passwords.service.js';
import type { UserRow } from './users.repository.js';
import { clearRefreshCookie, readRefreshCookie, REFRESH_COOKIE, setRefreshCookie } from './refresh-cookie.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly passwords: PasswordsService,
    private readonly devices: DeviceCookies,
    private readonly config: AppConfig,
  ) {}

  @Public()
  @AddressRate('register-ip')
  @Post('register')
  @HttpCode(201)
  @ApiZodBody(registerSchema)
  @ApiResponse({ status: 201, description: '{accessToken, expiresIn, user}; the refresh token in an httpOnly cookie' })
  async register(
    @Body(new ZodPipe(registerSchema)) input: RegisterInput,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<AuthResponse> {
    const answer = this.answer(req, res, await this.auth.register(input));
    this.devices.set(req, res, answer.user.id);
    return answer;
  }

  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(200)
  @ApiZodBody(loginSchema)
  @ApiResponse({ status: 200, description: '{accessToken, expiresIn, user}; the refresh token and a device cookie in httpOnly cookies' })
  async login(@Req() req: Request & { user: UserRow }, @Res({ passthrough: true }) res: Response): Promise<AuthResponse> {
    const answer = this.answer(req, res, await this.auth.startSession(req.user));
    // a new device cookie on every sign-in: this browser has now signed in to this account
    this.devices.set(req, res, req.user.id);
    return answer;
  }

  @Public()
  @Post('refresh')
  @HttpCode(200)
  @ApiCookieAuth(REFRESH_COOKIE)
  @ApiResponse({ status: 200, description: '{accessToken, expiresIn, user}; the refresh token rotated' })
  async refresh(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<RefreshResponse> {
    try {
      return this.answer(req, res, await this.auth.refresh(readRefreshCookie(req)));
    } catch (err) {
      clearRefreshCookie(req, res);
      throw err;
    }
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  @ApiCookieAuth(REFRESH_COOKIE)
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response, @CurrentUser() user?: AuthUser): Promise<void> {
    await this.auth.logout(readRefreshCookie(req), user?.sessionId);
    clearRefreshCookie(req, res);
  }

  /** What the sign-in page may offer: the "forgot password" link only when the forum can send mail. */
  @Public()
  @Get('options')
  @ApiResponse({ status: 200, description: '{passwordResetByEmail}' })
  options(): AuthOptions {
    return { passwordResetByEmail: this.passwords.resetByEmail };
  }

  /** Sets a new password with the token of a one-time link; every session of the account ends. */
  @Public()
  @AddressRate('password-reset-ip')
  @Post('password-reset')
  @HttpCode(204)
  @ApiZodBody(passwordResetSchema)
  @ApiResponse({ status: 204, description: 'password set; every session signed out' })
  @ApiResponse({ status: 400, description: 'token: not valid, already used or expired; password: too short' })
  async resetPassword(@Body(new ZodPipe(passwordResetSchema)) input: PasswordResetInput): Promise<void> {
    await this.passwords.reset(input);
  }

  /**
   * Asks for a reset link by e-mail: 202 whatever the address (nothing tells whether it has an
   * account). Without SMTP_URL: 404, since the forum sends no mail.
   */
  @Public()
  @AddressRate('password-reset-request-ip')
  @Post('password-reset/request')
  @HttpCode(202)
  @ApiZodBody(passwordResetRequestSchema)
  @ApiResponse({ status: 202, description: 'if the address has an account, a link is mailed' })
  @ApiResponse({ status: 404, description: 'this forum sends no mail (SMTP_URL unset)' })
  requestReset(@Body(new ZodPipe(passwordResetRequestSchema)) input: PasswordResetRequestInput): void {
    this.passwords.requestByEmail(input.email);
  }

  private answer(req: Request, res: Response, s: Session): AuthResponse {
    setRefreshCookie(req, res, s.refreshToken, this.config.env.REFRESH_TOKEN_TTL_DAYS);
    res.setHeader('Cache-Control', 'no-store');
    return { accessToken: s.accessToken, expiresIn: s.expiresIn, user: s.user };
  }
}
