import { ApiProperty } from '@nestjs/swagger';
import type { ExternalIdentityEntity } from '../entities/external-identity.entity.js';

export class IdentityResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'google' })
  provider: string;

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
    issuer: identity.issuer,
    email: identity.email,
    createdAt: identity.createdAt.toISOString(),
    lastUsedAt: identity.lastUsedAt?.toISOString() ?? null,
  };
}
