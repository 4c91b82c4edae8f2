import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { Actor } from '../audit/actor.js';
import { actorOf, type AuthRequest, type AuthUser } from './auth-user.js';
import { AuthService } from './auth.service.js';
import { CurrentUser, Public, RequestActor, Roles } from './decorators.js';
import { ChangePasswordDto, LoginDto, TokenView, UserView } from './dto/user.dto.js';
import { ROLES } from './roles.js';
import { UsersService } from './users.service.js';
import { NoIdempotencyKey } from '../http/idempotency.js';

@ApiTags('auth 登录')
@Controller('api/auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
  ) {}

  /**
   * Signs in with username and password. 200 `{ accessToken, tokenType: 'Bearer', expiresIn
   * (seconds), user }`; 401 wrong username or password (audited); 429 after LOGIN_THROTTLE_LIMIT
   * failed attempts per client address and username within LOGIN_THROTTLE_WINDOW_SECONDS.
   */
  @Post('login')
  @HttpCode(200)
  @Public()
  @NoIdempotencyKey('the answer carries an access token, never stored')
  @ApiOperation({ summary: '登录 / sign in and get an access token' })
  @ApiOkResponse({ type: TokenView })
  @ApiUnauthorizedResponse({ description: 'wrong username or password' })
  login(@Body() dto: LoginDto, @Req() req: AuthRequest): Promise<TokenView> {
    return this.auth.login(dto.username, dto.password, actorOf(req));
  }

  /** The signed-in user. */
  @Get('me')
  @Roles(...ROLES)
  @ApiOperation({ summary: '当前用户 / the signed-in user' })
  @ApiOkResponse({ type: UserView })
  me(@CurrentUser() user: AuthUser): Promise<UserView> {
    return this.users.get(user.id);
  }

  /**
   * Changes the signed-in user's password. 200 with a new token (older tokens stop working);
   * 401 wrong current password; 422 weak new password.
   */
  @Post('password')
  @HttpCode(200)
  @NoIdempotencyKey('the answer carries an access token, never stored')
  @Roles(...ROLES)
  @ApiOperation({ summary: '修改密码 / change own password' })
  @ApiOkResponse({ type: TokenView })
  changePassword(
    @CurrentUser() user: AuthUser,
    @Body() dto: ChangePasswordDto,
    @RequestActor() actor: Actor,
  ): Promise<TokenView> {
    return this.auth.changeOwnPassword(user, dto.currentPassword, dto.newPassword, actor);
  }
}
