import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayUnique,
  IsArray,
  IsIn,
  IsOptional,
  IsString,
  MaxLength,
  MinLength,
} from 'class-validator';
import { ROLES, type Role } from '#libs/common/auth/authenticated-user.js';
import { PageQueryDto } from '#libs/common/pagination/pagination.js';
import { USER_STATUSES, type UserStatus } from '../entities/user.entity.js';
import { AdminUserResponseDto } from './user-response.dto.js';

export class AdminUserQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: USER_STATUSES })
  @IsOptional()
  @IsIn(USER_STATUSES)
  status?: UserStatus;

  @ApiPropertyOptional({ enum: ROLES })
  @IsOptional()
  @IsIn(ROLES)
  role?: Role;

  @ApiPropertyOptional({ description: 'Exact email (case-insensitive)' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' ? value.trim().toLowerCase() : value,
  )
  @IsString()
  @MaxLength(254)
  email?: string;
}

export class UpdateUserStatusDto {
  @ApiProperty({ enum: USER_STATUSES })
  @IsIn(USER_STATUSES)
  status: UserStatus;
}

export class ReplaceRolesDto {
  @ApiProperty({ enum: ROLES, isArray: true })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(ROLES.length)
  @ArrayUnique()
  @IsIn(ROLES, { each: true })
  roles: Role[];
}

export class AdminUserPageDto {
  @ApiProperty({ type: [AdminUserResponseDto] })
  items: AdminUserResponseDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

export class MfaResetDto {
  @ApiProperty({ description: 'Why (kept in the audit trail)', example: 'Lost phone, ticket 4711' })
  @IsString()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @MinLength(3)
  @MaxLength(500)
  reason: string;
}
