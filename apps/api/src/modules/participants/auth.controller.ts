import { Body, Controller, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiCookieAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import { loginSchema, registerSchema, type AuthResponse, type RefreshResponse, type RegisterInput } from '@forum/shared';
import type { Request, Response } from 'express';
import { Public } from '../../common/auth/decorators.js';
import { AddressRate } from '../../common/throttle/address-rate.guard.js';
import { ApiZodBody } from '../../common/validation/api-zod.js';
import { ZodPipe } from '../../common/validation/zod.pipe.js';
import { AppConfig } from '../../config/app-config.js';
import { AuthService, type Session } from './auth.service.js';
import { LocalAuthGuard } from './local-auth.guard.js';
import type { UserRow } from './users.repository.js';
import { clearRefreshCookie, readRefreshCookie, REFRESH_COOKIE, setRefreshCookie } from './refresh-cookie.js';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
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
    return this.answer(req, res, await this.auth.register(input));
  }

  @Public()
  @UseGuards(LocalAuthGuard)
  @Post('login')
  @HttpCode(200)
  @ApiZodBody(loginSchema)
  @ApiResponse({ status: 200, description: '{accessToken, expiresIn, user}; the refresh token in an httpOnly cookie' })
  async login(@Req() req: Request & { user: UserRow }, @Res({ passthrough: true }) res: Response): Promise<AuthResponse> {
    return this.answer(req, res, await this.auth.startSession(req.user));
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
  async logout(@Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    await this.auth.logout(readRefreshCookie(req));
    clearRefreshCookie(req, res);
  }

  private answer(req: Request, res: Response, s: Session): AuthResponse {
    setRefreshCookie(req, res, s.refreshToken, this.config.env.REFRESH_TOKEN_TTL_DAYS);
    res.setHeader('Cache-Control', 'no-store');
    return { accessToken: s.accessToken, expiresIn: s.expiresIn, user: s.user };
  }
}
