import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import {
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import type { Actor } from '../audit/actor.js';
import { RequestActor, Roles } from './decorators.js';
import {
  CreateUserDto,
  ListUsersQuery,
  UpdateUserDto,
  UserIdPath,
  UserPage,
  UserView,
} from './dto/user.dto.js';
import { UsersService } from './users.service.js';

/** User administration: admins only. */
@ApiTags('users 用户管理')
@Controller('api/users')
@Roles('admin')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  /** Creates a user. 201; 422 each field at fault (role-specific fields, weak password); 409 username or credential taken. */
  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: '新建用户 / create a user' })
  @ApiCreatedResponse({ type: UserView })
  @ApiUnprocessableEntityResponse({
    description: 'a field is missing, not for this role, or the password is weak',
  })
  @ApiConflictResponse({ description: 'username or credential number taken' })
  create(@Body() dto: CreateUserDto, @RequestActor() actor: Actor): Promise<UserView> {
    return this.users.create(dto, actor);
  }

  /** Users by role and department, paginated. */
  @Get()
  @ApiOperation({ summary: '用户列表 / list users' })
  @ApiOkResponse({ type: UserPage })
  list(@Query() q: ListUsersQuery) {
    return this.users.list(q);
  }

  /** One user. 404 unknown or deleted. */
  @Get(':id')
  @ApiOperation({ summary: '用户详情 / one user' })
  @ApiOkResponse({ type: UserView })
  @ApiNotFoundResponse()
  get(@Param() { id }: UserIdPath): Promise<UserView> {
    return this.users.get(id);
  }

  /** Changes display name, department, credential number or password. 404; 422. */
  @Patch(':id')
  @ApiOperation({ summary: '修改用户 / update a user (a new password revokes older tokens)' })
  @ApiOkResponse({ type: UserView })
  @ApiNotFoundResponse({ description: 'unknown or deleted user' })
  @ApiUnprocessableEntityResponse({ description: 'a field not for this role, or a weak password' })
  @ApiConflictResponse({ description: 'credential number taken' })
  update(
    @Param() { id }: UserIdPath,
    @Body() dto: UpdateUserDto,
    @RequestActor() actor: Actor,
  ): Promise<UserView> {
    return this.users.update(id, dto, actor);
  }

  /** Deletes a user (its tokens stop working at once). 204; 404; 409 the last admin. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: '删除用户 / delete a user' })
  @ApiNoContentResponse()
  @ApiNotFoundResponse({ description: 'unknown or already deleted user' })
  @ApiConflictResponse({ description: 'the last admin' })
  async delete(@Param() { id }: UserIdPath, @RequestActor() actor: Actor): Promise<void> {
    await this.users.delete(id, actor);
  }
}
