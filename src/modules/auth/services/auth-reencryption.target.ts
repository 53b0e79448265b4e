import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { FieldCipher } from '#libs/common/crypto/field-cipher.js';
import {
  countStaleField,
  type FieldColumn,
  reencryptFieldColumn,
  type ReencryptionTarget,
  ReencryptsData,
} from '#libs/common/crypto/reencryption.js';
import { TokenService } from './token.service.js';

/** Same associated data as MfaService and OAuthService use. */
const COLUMNS: readonly FieldColumn[] = [
  { table: 'users', column: 'mfa_totp_secret', context: (row) => row.id },
  {
    table: 'oauth_login_flows',
    column: 'code_verifier',
    extraColumn: 'provider',
    context: (row) => `oauth-flow:${row.extra ?? ''}`,
  },
];

/** TOTP secrets and PKCE verifiers of sign-in flows, for `keys:rotate`. */
@Injectable()
@ReencryptsData()
export class AuthReencryptionTarget implements ReencryptionTarget {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
    private readonly tokens: TokenService,
  ) {}

  units(): string[] {
    return COLUMNS.map((spec) => `${spec.table}.${spec.column}`);
  }

  reencryptBatch(unit: string, limit: number): Promise<number> {
    return reencryptFieldColumn(this.dataSource, this.spec(unit), this.cipher, limit);
  }

  countStale(unit: string): Promise<number> {
    return countStaleField(this.dataSource, this.spec(unit), this.cipher);
  }

  /** Backup codes are hashes of codes we never see again: they cannot move to the new key. */
  async notes(): Promise<string[]> {
    const [row] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM users
        WHERE EXISTS (SELECT 1 FROM unnest(mfa_backup_code_hashes) AS h
                       WHERE h NOT LIKE $1 || ':%')`,
      [this.tokens.keyedHashKeyId],
    )) as Array<{ n: number }>;
    const n = row?.n ?? 0;
    return n === 0
      ? []
      : [
          `users.mfa_backup_code_hashes: ${n} account(s) hold backup codes hashed under an older ` +
            'key (or JWT_SECRET, before DATA_ENCRYPTION_KEYS); they verify while that key stays ' +
            'configured, and are replaced when the user regenerates them.',
        ];
  }

  private spec(unit: string): FieldColumn {
    const spec = COLUMNS.find((found) => `${found.table}.${found.column}` === unit);
    if (!spec) throw new Error(`Unknown unit ${unit}`);
    return spec;
  }
}
