import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Post,
  Req,
  Res,
  UnauthorizedException,
} from '@nestjs/common';
import {
  ApiExtraModels,
  ApiForbiddenResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
  getSchemaPath,
} from '@nestjs/swagger';
import type { Response } from 'express';
import type { Actor } from '../audit/actor.js';
import { actorOf, type AuthRequest, type AuthUser } from './auth-user.js';
import { AuthService } from './auth.service.js';
import { CurrentUser, Public, RequestActor, Roles } from './decorators.js';
import {
  ChangePasswordDto,
  LoginDto,
  MenuItemView,
  SessionPasswordView,
  SessionView,
  TokenView,
  UserView,
} from './dto/user.dto.js';
import { menuFor, type MenuItem } from './menu.js';
import { ROLES } from './roles.js';
import { SessionsService } from './sessions.service.js';
import { UsersService } from './users.service.js';
import { NoIdempotencyKey } from '../http/idempotency.js';

@ApiTags('auth 登录')
@ApiExtraModels(TokenView, SessionPasswordView)
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
  ) {}

  /**
   * Signs in with username and password. 200 `{ accessToken, tokenType: 'Bearer', expiresIn
   * (seconds), user }`; 401 wrong username or password, or a deactivated user (audited); 429 after
   * LOGIN_THROTTLE_LIMIT failed attempts per client address and username within
   * LOGIN_THROTTLE_WINDOW_SECONDS.
   */
  @Post('login')
  @HttpCode(200)
  @Public()
  @NoIdempotencyKey('the answer carries an access token, never stored')
  @ApiOperation({ summary: '登录 / sign in and get an access token (scripts)' })
  @ApiOkResponse({ type: TokenView })
  @ApiUnauthorizedResponse({ description: 'wrong username or password' })
  login(@Body() dto: LoginDto, @Req() req: AuthRequest): Promise<TokenView> {
    return this.auth.login(dto.username, dto.password, actorOf(req));
  }

  /**
   * Signs a browser in (docs/security.md "Browser sessions"): the same check, failures, limits and
   * audit (`auth.login` with the session's digest prefix) as POST /api/auth/login. 200
   * `SessionView` `{ user, csrfToken, idleTimeoutSeconds, expiresAt, menu, settings }` and the
   * cookie `sv_session` (HttpOnly, SameSite=Strict, Path=/, Secure over HTTPS or with
   * SESSION_COOKIE_SECURE=true, expiring at `expiresAt`). 401 wrong username or password or a
   * deactivated user; 403 a request from another site (Origin); 429 as for login.
   */
  @Post('session')
  @HttpCode(200)
  @Public()
  @NoIdempotencyKey('the answer carries a session, never stored')
  @ApiOperation({ summary: '浏览器登录 / sign a browser in (session cookie)' })
  @ApiOkResponse({
    type: SessionView,
    headers: {
      'Set-Cookie': {
        description: 'sv_session=…; HttpOnly; SameSite=Strict; Path=/; Expires=…',
        schema: { type: 'string' },
      },
    },
  })
  @ApiUnauthorizedResponse({ description: 'wrong username or password' })
  @ApiForbiddenResponse({ description: 'the request comes from another site (Origin)' })
  async startSession(
    @Body() dto: LoginDto,
    @Req() req: AuthRequest,
    @Res({ passthrough: true }) res: Response,
  ): Promise<SessionView> {
    this.sessions.checkOrigin(req);
    const { secret, session, view } = await this.auth.startSession(
      dto.username,
      dto.password,
      actorOf(req),
      req,
    );
    this.sessions.setCookie(req, res, secret, session.expiresAt);
    return view;
  }

  /**
   * The browser session of this request: 200 `SessionView` (the same CSRF token as at sign-in);
   * 401 without a live session cookie, the message saying why it ended (idle timeout, signed out,
   * password changed, deactivated, longest lifetime passed). A Bearer token is not a session: 401.
   */
  @Get('session')
  @Roles(...ROLES)
  @ApiOperation({ summary: '当前浏览器会话 / the browser session' })
  @ApiOkResponse({ type: SessionView })
  async session(@Req() req: AuthRequest, @CurrentUser() user: AuthUser): Promise<SessionView> {
    if (!req.authSession)
      throw new UnauthorizedException('no browser session: sign in with POST /api/auth/session');
    return this.sessions.view(await this.users.get(user.id), req.authSession);
  }

  /**
   * Signs this browser out: ends the session and clears the cookie. 204; needs X-CSRF-Token
   * (403 without); 401 without a live session (a Bearer token is not a session). Audited
   * (`auth.logout`).
   */
  @Delete('session')
  @HttpCode(204)
  @Roles(...ROLES)
  @NoIdempotencyKey('ends the session; repeating it answers 401')
  @ApiOperation({ summary: '退出登录 / sign this browser out' })
  @ApiNoContentResponse()
  async endSession(
    @Req() req: AuthRequest,
    @Res({ passthrough: true }) res: Response,
    @RequestActor() actor: Actor,
  ): Promise<void> {
    if (!req.authSession)
      throw new UnauthorizedException('no browser session: a Bearer token ends when it expires');
    await this.auth.endSession(req.authSession, actor);
    this.sessions.clearCookie(req, res);
  }

  /**
   * Signs the user out everywhere: raises its token version (every access token stops working)
   * and ends every browser session, this one included (its cookie is cleared). 204. Cookie or
   * Bearer; a cookie caller sends X-CSRF-Token. Audited (`auth.sign_out_everywhere`).
   */
  @Post('sign-out-everywhere')
  @HttpCode(204)
  @Roles(...ROLES)
  @NoIdempotencyKey('ends every session; repeating it needs a new sign-in')
  @ApiOperation({ summary: '退出所有设备 / sign out everywhere (tokens and sessions)' })
  @ApiNoContentResponse()
  async signOutEverywhere(
    @Req() req: AuthRequest,
    @Res({ passthrough: true }) res: Response,
    @CurrentUser() user: AuthUser,
    @RequestActor() actor: Actor,
  ): Promise<void> {
    await this.users.signOutEverywhere(user.id, actor);
    if (req.authSession) this.sessions.clearCookie(req, res);
  }

  /** The signed-in user. */
  @Get('me')
  @Roles(...ROLES)
  @ApiOperation({ summary: '当前用户 / the signed-in user' })
  @ApiOkResponse({ type: UserView })
  me(@CurrentUser() user: AuthUser): Promise<UserView> {
    return this.users.get(user.id);
  }

  /** The menu of the signed-in user's role: `MenuItem[]` `{ key, title, path, icon? }`, in menu order (auth/menu.ts). */
  @Get('menu')
  @Roles(...ROLES)
  @ApiOperation({ summary: '菜单 / the pages the role may open' })
  @ApiOkResponse({ type: [MenuItemView] })
  menu(@CurrentUser() user: AuthUser): MenuItem[] {
    return menuFor(user.role);
  }

  /**
   * Changes the signed-in user's password. Bearer caller: 200 `TokenView` with a new token (older
   * tokens and every browser session stop working). Cookie caller (with X-CSRF-Token): 200
   * `{ user, csrfToken }` and a new `sv_session` cookie: the browser stays signed in on a new
   * session (new secret and CSRF token), the old one and every other session and token end.
   * 401 wrong current password; 422 weak new password.
   */
  @Post('password')
  @HttpCode(200)
  @NoIdempotencyKey('the answer carries an access token, never stored')
  @Roles(...ROLES)
  @ApiOperation({ summary: '修改密码 / change own password' })
  @ApiOkResponse({
    description: 'TokenView for a Bearer caller; { user, csrfToken } for a browser session',
    schema: { oneOf: [{ $ref: getSchemaPath(TokenView) }, { $ref: getSchemaPath(SessionPasswordView) }] },
  })
  async changePassword(
    @Req() req: AuthRequest,
    @Res({ passthrough: true }) res: Response,
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
    @RequestActor() actor: Actor,
  ): Promise<TokenView | SessionPasswordView> {
    const answer = await this.auth.changeOwnPassword(
      user,
      dto.currentPassword,
      dto.newPassword,
      actor,
      req.authSession ? req : undefined,
    );
    if (!('cookie' in answer)) return answer;
    this.sessions.setCookie(req, res, answer.cookie.secret, answer.cookie.expiresAt);
    return { user: answer.user, csrfToken: answer.csrfToken };
  }
}
