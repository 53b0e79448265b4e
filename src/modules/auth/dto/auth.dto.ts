import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsBoolean,
  IsEmail,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { TokenPairDto } from './token-pair.dto.js';
import { UserResponseDto } from './user-response.dto.js';

const trimLower = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim().toLowerCase() : value;

export class RegistrationConsentDto {
  @ApiProperty({ example: 'travel_planning' })
  @IsString()
  @Matches(/^[a-z][a-z0-9_]{0,63}$/)
  purpose: string;

  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(1)
  version: number;

  @ApiProperty()
  @IsBoolean()
  granted: boolean;
}

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com' })
  @Transform(trimLower)
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MaxLength(1024)
  password: string;

  @ApiProperty({ example: 'Ada Lovelace' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  fullName: string;

  @ApiPropertyOptional({ type: [RegistrationConsentDto] })
  @IsOptional()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => RegistrationConsentDto)
  consents?: RegistrationConsentDto[];
}

export class LoginDto {
  @ApiProperty()
  @Transform(trimLower)
  @IsString()
  @MaxLength(254)
  email: string;

  @ApiProperty()
  @IsString()
  @MaxLength(1024)
  password: string;
}

export class MfaLoginDto {
  @ApiProperty()
  @IsString()
  @MaxLength(128)
  mfaToken: string;

  @ApiProperty({ description: 'A 6-digit TOTP code or an unused backup code' })
  @IsString()
  @MaxLength(32)
  code: string;
}

export class ReauthenticateDto {
  @ApiPropertyOptional({ description: 'The account password (required when it has one)' })
  @IsOptional()
  @IsString()
  @MaxLength(128)
  password?: string;

  @ApiPropertyOptional({ description: 'A TOTP or backup code (required when TOTP is on)' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  code?: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @MaxLength(256)
  refreshToken: string;
}

export class TokenDto {
  @ApiProperty()
  @IsString()
  @MaxLength(256)
  token: string;
}

export class ForgotPasswordDto {
  @ApiProperty()
  @Transform(trimLower)
  @IsString()
  @MaxLength(254)
  email: string;
}

export class ResetPasswordDto {
  @ApiProperty()
  @IsString()
  @MaxLength(256)
  token: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MaxLength(1024)
  password: string;
}

export class ChangePasswordDto {
  @ApiPropertyOptional({ description: 'Required when the account has a password' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  currentPassword?: string;

  @ApiProperty({ minLength: 8, maxLength: 128 })
  @IsString()
  @MaxLength(1024)
  newPassword: string;
}

export class AuthResponseDto extends TokenPairDto {
  @ApiProperty({ type: UserResponseDto })
  user: UserResponseDto;
}

export class MfaChallengeResponseDto {
  @ApiProperty({ example: true })
  mfaRequired: true;

  @ApiProperty({ description: 'Single-use, 5 minutes; send it to POST /auth/login/mfa' })
  mfaToken: string;
}
