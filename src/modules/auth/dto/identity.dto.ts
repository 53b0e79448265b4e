import { ApiProperty } from '#libs/common/openapi/api-docs.js';
import { AUTH_PROVIDER_KINDS, type ExternalProviderKind } from '../auth-provider-kind.js';
import type { ExternalIdentityEntity } from '../entities/external-identity.entity.js';

const EXTERNAL_PROVIDER_KINDS = AUTH_PROVIDER_KINDS.filter((kind) => kind !== 'local');

export class IdentityResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'google', description: 'The configured provider’s name' })
  provider: string;

  @ApiProperty({
    enum: EXTERNAL_PROVIDER_KINDS,
    enumName: 'AuthProviderKind',
    description: 'Its kind (`oidc`: any other OpenID Connect provider)',
  })
  providerKind: ExternalProviderKind;

  @ApiProperty()
  issuer: string;

  @ApiProperty({ nullable: true, type: String })
  email: string | null;

  @ApiProperty()
  createdAt: string;

  @ApiProperty({ nullable: true, type: String })
  lastUsedAt: string | null;
}

export class IdentityPageDto {
  @ApiProperty({ type: [IdentityResponseDto] })
  items: IdentityResponseDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

export function toIdentityResponse(identity: ExternalIdentityEntity): IdentityResponseDto {
  return {
    id: identity.id,
    provider: identity.provider,
    providerKind: identity.providerKind,
    issuer: identity.issuer,
    email: identity.email,
    createdAt: identity.createdAt.toISOString(),
    lastUsedAt: identity.lastUsedAt?.toISOString() ?? null,
  };
}
