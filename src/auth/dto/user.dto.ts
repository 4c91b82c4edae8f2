import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { IsUscc, toUscc } from '../../enterprises/dto/enterprise.dto.js';
import { DEPARTMENTS, ROLES, type Role } from '../roles.js';
import { USERNAME_PATTERN } from '../rules/password-policy.js';
import { PageOf, PageQuery } from '../../http/paging.js';
import { IdParam } from '../../http/id-param.js';

const trim = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value);
/** A query parameter `true` or `false` as a boolean (anything else is left for IsBoolean to refuse). */
const queryBoolean = ({ value }: { value: unknown }) =>
  value === 'true' ? true : value === 'false' ? false : value;
const DEPARTMENT_CODES = Object.keys(DEPARTMENTS);

/** Body of POST /api/users (and of CLI `user create`). */
export class CreateUserDto {
  @ApiProperty({ example: 'zhang.wei', description: 'lower case, 3-64 of a-z 0-9 . _ -' })
  @Transform(trim)
  @Matches(USERNAME_PATTERN, {
    message: '3-64 of a-z 0-9 . _ -, starting with a letter or digit',
  })
  username!: string;

  @ApiProperty({ description: '10-72 bytes, a letter and a digit, not containing the username' })
  @IsString()
  password!: string;

  @ApiProperty({ example: '张伟' })
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;

  @ApiPropertyOptional({ enum: DEPARTMENT_CODES, description: 'regulator and inspector: required' })
  @IsOptional()
  @IsIn(DEPARTMENT_CODES)
  department?: string;

  @ApiPropertyOptional({ description: 'inspector: enforcement credential number (执法证号), required' })
  @IsOptional()
  @Transform(trim)
  @Matches(/^[0-9A-Za-z\u4e00-\u9fff-]{4,32}$/, { message: '4-32 letters, digits or dashes' })
  credentialNo?: string;

  @ApiPropertyOptional({ description: 'enterprise user: USCC of its enterprise, required' })
  @IsOptional()
  @Transform(toUscc)
  @IsUscc()
  uscc?: string;
}

/** Body of PATCH /api/users/:id: what an admin may change (the role never: create another user). */
export class UpdateUserDto {
  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  displayName?: string;

  @ApiPropertyOptional({ description: 'a new password (older tokens stop working)' })
  @IsOptional()
  @IsString()
  password?: string;

  @ApiPropertyOptional({ enum: DEPARTMENT_CODES })
  @IsOptional()
  @IsIn(DEPARTMENT_CODES)
  department?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(trim)
  @Matches(/^[0-9A-Za-z\u4e00-\u9fff-]{4,32}$/, { message: '4-32 letters, digits or dashes' })
  credentialNo?: string;

  @ApiPropertyOptional({
    description:
      'false: deactivate (停用): the user cannot sign in, its sessions and tokens end; true: reactivate (启用). Not oneself, not the last active admin (409)',
  })
  @IsOptional()
  @IsBoolean()
  active?: boolean;
}

/** Query of GET /api/users. */
export class ListUsersQuery extends PageQuery(50, 200) {
  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ enum: DEPARTMENT_CODES })
  @IsOptional()
  @IsIn(DEPARTMENT_CODES)
  department?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'only active (true) or deactivated (false) users',
  })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'active must be true or false' })
  active?: boolean;
}

/** A user as the API shows it (never the password hash). */
export class UserView {
  @ApiProperty() id!: number;
  @ApiProperty() username!: string;
  @ApiProperty() displayName!: string;
  @ApiProperty({ enum: ROLES }) role!: Role;
  @ApiProperty({ description: '角色 in Chinese' }) roleLabel!: string;
  @ApiProperty({ nullable: true, type: String }) department!: string | null;
  @ApiProperty({ nullable: true, type: String }) credentialNo!: string | null;
  @ApiProperty({ nullable: true, type: String }) uscc!: string | null;
  @ApiProperty({ description: 'false: deactivated (停用), cannot sign in' }) active!: boolean;
  @ApiProperty() createdAt!: string;
}

/** Answer of GET /api/users. */
export class UserPage extends PageOf(UserView) {}

/** Body of POST /api/auth/login. */
export class LoginDto {
  /**
   * Not refused by StorableTextPipe (http/api-errors.ts): a username with a NUL or a lone
   * surrogate answers 401 and is audited as a failed sign-in like any other (AuthService.login),
   * so a sign-in never says more than "wrong credentials". Nothing of it is stored as given.
   */
  static readonly acceptsAnyText = true;

  @ApiProperty({ example: 'demo-admin' })
  @IsString()
  @MaxLength(64)
  username!: string;

  @ApiProperty()
  @IsString()
  @MaxLength(200)
  password!: string;
}

/** Body of POST /api/auth/password (the signed-in user's own password). */
export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(200)
  currentPassword!: string;

  @ApiProperty()
  @IsString()
  newPassword!: string;
}

/** Answer of a successful login. */
export class TokenView {
  @ApiProperty() accessToken!: string;
  @ApiProperty({ example: 'Bearer' }) tokenType!: 'Bearer';
  @ApiProperty({ description: 'seconds until the token expires' }) expiresIn!: number;
  @ApiProperty({ type: UserView }) user!: UserView;
}

/** One item of the role-aware menu (auth/menu.ts). */
export class MenuItemView {
  @ApiProperty({ example: 'enterprises' }) key!: string;
  @ApiProperty({ example: '企业名录', description: 'Chinese title' }) title!: string;
  @ApiProperty({ example: '/enterprises', description: "the page's path in the front end" }) path!: string;
  @ApiPropertyOptional({ example: 'OfficeBuilding', description: 'Element Plus icon name' }) icon?: string;
  @ApiPropertyOptional({
    example: '预付卡风险',
    description: 'the submenu the item is shown in (consecutive items of one group)',
  })
  group?: string;
}

/** Settings a signed-in page needs (a part of the bureau settings). */
export class SessionSettingsView {
  @ApiProperty({ description: 'whether enterprise users are shown their risk tier' })
  enterpriseTierVisible!: boolean;
  @ApiProperty({
    example: '杨浦区',
    description:
      "the district's name (DISTRICT_NAME): the prefix of its departments' names (杨浦区市场监督管理局)",
  })
  district!: string;
}

/** A browser session (POST and GET /api/auth/session). The secret itself is only in the httpOnly cookie. */
export class SessionView {
  @ApiProperty({ type: UserView }) user!: UserView;
  @ApiProperty({ description: 'send as X-CSRF-Token with every POST, PATCH, PUT and DELETE of this session' })
  csrfToken!: string;
  @ApiProperty({ description: 'the session ends after this many seconds without a request' })
  idleTimeoutSeconds!: number;
  @ApiProperty({ description: 'absolute end of the session (SESSION_MAX_HOURS after sign-in), ISO 8601' })
  expiresAt!: string;
  @ApiProperty({ type: [MenuItemView], description: "the pages the user's role may open, in menu order" })
  menu!: MenuItemView[];
  @ApiProperty({ type: SessionSettingsView }) settings!: SessionSettingsView;
}

/** Answer of POST /api/auth/password for a cookie session: the session stays, others end. */
export class SessionPasswordView {
  @ApiProperty({ type: UserView }) user!: UserView;
  @ApiProperty({ description: "the new session's CSRF token (the cookie sv_session is new too)" })
  csrfToken!: string;
}

/** Path parameter `:id` of a user. */
export class UserIdPath {
  @IdParam()
  id!: number;
}
