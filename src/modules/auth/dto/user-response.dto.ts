import { ApiProperty } from '#libs/common/openapi/api-docs.js';
import { ROLES, type Role } from '#libs/common/auth/authenticated-user.js';
import { USER_STATUSES, type UserEntity, type UserStatus } from '../entities/user.entity.js';

export class UserResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty()
  email: string;

  @ApiProperty()
  fullName: string;

  @ApiProperty({ enum: USER_STATUSES, enumName: 'UserStatus' })
  status: UserStatus;

  @ApiProperty({ enum: ROLES, isArray: true })
  roles: Role[];

  @ApiProperty()
  emailVerified: boolean;

  @ApiProperty()
  mfaEnabled: boolean;

  @ApiProperty({ description: 'false for accounts that only sign in through OpenID Connect' })
  hasPassword: boolean;

  @ApiProperty()
  createdAt: string;
}

export class AdminUserResponseDto extends UserResponseDto {
  @ApiProperty({ nullable: true, type: String })
  lockedUntil: string | null;

  @ApiProperty()
  failedLoginCount: number;

  @ApiProperty({ nullable: true, type: String })
  lastLoginAt: string | null;
}

export function toUserResponse(user: UserEntity): UserResponseDto {
  return {
    id: user.id,
    email: user.email,
    fullName: user.fullName,
    status: user.status,
    roles: [...user.roles],
    emailVerified: user.emailVerifiedAt !== null,
    mfaEnabled: user.mfaEnabledAt !== null,
    hasPassword: user.passwordHash !== null,
    createdAt: user.createdAt.toISOString(),
  };
}

export function toAdminUserResponse(user: UserEntity): AdminUserResponseDto {
  return {
    ...toUserResponse(user),
    lockedUntil: user.lockedUntil?.toISOString() ?? null,
    failedLoginCount: user.failedLoginCount,
    lastLoginAt: user.lastLoginAt?.toISOString() ?? null,
  };
}
