import { ApiProperty } from '#libs/common/openapi/api-docs.js';
import type { RefreshSessionEntity } from '../entities/refresh-session.entity.js';

export class DeviceSessionResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ description: 'password, mfa, oidc:<provider>…' })
  method: string;

  @ApiProperty({ nullable: true, type: String })
  ip: string | null;

  @ApiProperty({ nullable: true, type: String })
  userAgent: string | null;

  @ApiProperty()
  createdAt: string;

  @ApiProperty()
  lastUsedAt: string;

  @ApiProperty()
  expiresAt: string;

  @ApiProperty({ description: 'The session of the calling access token' })
  current: boolean;
}

export class DeviceSessionPageDto {
  @ApiProperty({ type: [DeviceSessionResponseDto] })
  items: DeviceSessionResponseDto[];

  @ApiProperty({ nullable: true, type: String })
  nextCursor: string | null;
}

export function toSessionResponse(
  session: RefreshSessionEntity,
  currentSessionId: string,
): DeviceSessionResponseDto {
  const expires =
    session.idleExpiresAt < session.absoluteExpiresAt
      ? session.idleExpiresAt
      : session.absoluteExpiresAt;
  return {
    id: session.id,
    method: session.method,
    ip: session.ip,
    userAgent: session.userAgent,
    createdAt: session.createdAt.toISOString(),
    lastUsedAt: session.lastUsedAt.toISOString(),
    expiresAt: expires.toISOString(),
    current: session.id === currentSessionId,
  };
}
