import { ApiProperty, ApiPropertyOptional } from '#libs/common/openapi/api-docs.js';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { MoneyDto } from '#libs/common/money/money.js';
import { NoNulCharacters } from './no-nul.js';
import { PageQueryDto } from '#libs/common/pagination/pagination.js';
import type { JsonObject } from '../json-merge-patch.js';
import { SAVED_ITEM_TYPES, type SavedItemType } from '../session-status.js';

export class CreateSavedItemDto {
  @ApiProperty({ enum: SAVED_ITEM_TYPES })
  @IsIn(SAVED_ITEM_TYPES)
  itemType: SavedItemType;

  @ApiPropertyOptional({
    maxLength: 100,
    example: 'amadeus',
    description: 'Required with externalId',
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  @NoNulCharacters()
  provider?: string;

  @ApiPropertyOptional({ maxLength: 255, description: "The provider's id for the item" })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(255)
  @NoNulCharacters()
  externalId?: string;

  @ApiProperty({ maxLength: 300 })
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  @NoNulCharacters()
  title: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Item snapshot' })
  @IsOptional()
  @IsObject()
  data?: JsonObject;

  @ApiPropertyOptional({ type: MoneyDto })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  price?: MoneyDto;

  @ApiPropertyOptional({ maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @NoNulCharacters()
  notes?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 366 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366)
  assignedDay?: number;

  @ApiPropertyOptional({ minimum: 0, description: 'Defaults to after the last item' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  position?: number;
}

/** Partial update; null clears price, notes and assignedDay. Type and identity do not change. */
export class UpdateSavedItemDto {
  @ApiPropertyOptional({ maxLength: 300 })
  @ValidateIf((dto: UpdateSavedItemDto) => dto.title !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(300)
  @NoNulCharacters()
  title?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @ValidateIf((dto: UpdateSavedItemDto) => dto.data !== undefined)
  @IsObject()
  data?: JsonObject;

  @ApiPropertyOptional({ type: MoneyDto, nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => MoneyDto)
  price?: MoneyDto | null;

  @ApiPropertyOptional({ type: String, nullable: true, maxLength: 1000 })
  @IsOptional()
  @IsString()
  @MaxLength(1000)
  @NoNulCharacters()
  notes?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, minimum: 1, maximum: 366 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(366)
  assignedDay?: number | null;

  @ApiPropertyOptional({ minimum: 0 })
  @ValidateIf((dto: UpdateSavedItemDto) => dto.position !== undefined)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  position?: number;
}

export class ListSavedItemsQueryDto extends PageQueryDto {}

export class SavedItemResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'uuid' })
  sessionId: string;

  @ApiProperty({ enum: SAVED_ITEM_TYPES })
  itemType: SavedItemType;

  @ApiProperty({ type: String, nullable: true })
  provider: string | null;

  @ApiProperty({ type: String, nullable: true })
  externalId: string | null;

  @ApiProperty()
  title: string;

  @ApiProperty({ type: 'object', additionalProperties: true })
  data: JsonObject;

  @ApiProperty({ type: MoneyDto, nullable: true })
  price: MoneyDto | null;

  @ApiProperty({ type: String, nullable: true })
  notes: string | null;

  @ApiProperty({ type: Number, nullable: true })
  assignedDay: number | null;

  @ApiProperty()
  position: number;

  @ApiProperty()
  createdAt: string;

  @ApiProperty()
  updatedAt: string;
}

export class SavedItemPageDto {
  @ApiProperty({ type: [SavedItemResponseDto] })
  items: SavedItemResponseDto[];

  @ApiProperty({ type: String, nullable: true })
  nextCursor: string | null;
}
