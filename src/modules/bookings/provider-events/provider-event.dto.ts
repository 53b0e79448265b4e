import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import { IsISO8601, IsObject, IsOptional, IsString, Length, Matches } from 'class-validator';
import {
  PROVIDER_EVENT_OUTCOMES,
  type ProviderEventOutcome,
} from '../entities/provider-event.entity.js';

export const PROVIDER_EVENT_TYPES = [
  'booking.confirmed',
  'booking.failed',
  'booking.cancelled',
  'booking.schedule_changed',
] as const;
export type ProviderEventType = (typeof PROVIDER_EVENT_TYPES)[number];

/** A signed provider event (the body of `POST /providers/:provider/events`). */
export class ProviderEventDto {
  @ApiProperty({ description: 'The provider’s event id: the same id again has no second effect' })
  @IsString()
  @Length(1, 255)
  @Matches(/^[\x21-\x7e]+$/, { message: 'id must be printable ASCII without spaces' })
  id: string;

  @ApiProperty({ enum: PROVIDER_EVENT_TYPES })
  @IsString()
  @Length(1, 60)
  type: string;

  @ApiProperty({ description: 'The provider’s reference of the booking' })
  @IsString()
  @Length(1, 255)
  providerReference: string;

  @ApiProperty({ format: 'date-time' })
  @IsISO8601({ strict: true })
  occurredAt: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    description:
      '`confirmationCode` (booking.confirmed), `changes` (booking.schedule_changed), optional `cancellationReference` (booking.cancelled)',
  })
  @IsOptional()
  @IsObject()
  data?: Record<string, unknown>;
}

export class ProviderEventReceiptDto {
  @ApiProperty()
  received: boolean;

  @ApiProperty({ description: 'True when this event id had already been received (no effect now)' })
  duplicate: boolean;

  @ApiProperty({
    enum: PROVIDER_EVENT_OUTCOMES,
    description: '`ignored`: the booking’s state machine refused it (recorded, nothing changed)',
  })
  outcome: ProviderEventOutcome;
}
