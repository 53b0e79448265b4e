import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayUnique,
  IsArray,
  IsOptional,
  IsString,
  IsUUID,
  Length,
} from 'class-validator';
import { TRAVELER_STATUSES, type TravelerStatus } from '../traveler.entity.js';

/** Most travelers a group may hold. */
export const MAX_GROUP_MEMBERS = 50;

const trimmed = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateTravelerGroupDto {
  @ApiProperty({ maxLength: 100, example: 'Family' })
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  name: string;

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    maxItems: MAX_GROUP_MEMBERS,
    description: 'Initial members (your travelers, not archived)',
  })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_GROUP_MEMBERS)
  @ArrayUnique()
  @IsUUID('4', { each: true })
  travelerIds?: string[];
}

export class UpdateTravelerGroupDto {
  @ApiProperty({ maxLength: 100, example: 'Ski club' })
  @Transform(trimmed)
  @IsString()
  @Length(1, 100)
  name: string;
}

export class TravelerGroupMemberDto {
  @ApiProperty({ format: 'uuid' }) travelerId: string;
  @ApiProperty() fullName: string;
  @ApiProperty({ enum: TRAVELER_STATUSES }) status: TravelerStatus;
  @ApiProperty({ description: 'False for archived travelers: a booking by group leaves them out' })
  bookable: boolean;
  @ApiProperty({ format: 'date-time' }) addedAt: string;
}

export class TravelerGroupResponseDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() name: string;
  @ApiProperty({ type: [TravelerGroupMemberDto] }) members: TravelerGroupMemberDto[];
  @ApiProperty({ format: 'date-time' }) createdAt: string;
  @ApiProperty({ format: 'date-time' }) updatedAt: string;
}

export class TravelerGroupListDto {
  @ApiProperty({ type: [TravelerGroupResponseDto] }) items: TravelerGroupResponseDto[];
}
