import { ApiProperty } from '#libs/common/openapi/api-docs.js';
import { IsString, MaxLength } from 'class-validator';

export class MfaCodeDto {
  @ApiProperty({ description: 'A 6-digit TOTP code (disable also accepts a backup code)' })
  @IsString()
  @MaxLength(32)
  code: string;
}

export class TotpSetupResponseDto {
  @ApiProperty({ description: 'Base32 secret, shown once: enter it or scan the URI' })
  secret: string;

  @ApiProperty({ example: 'otpauth://totp/Pathavana:ada%40example.com?secret=…&issuer=Pathavana' })
  otpauthUri: string;
}

export class BackupCodesResponseDto {
  @ApiProperty({ type: [String], description: 'Ten single-use codes, shown once' })
  backupCodes: string[];
}
