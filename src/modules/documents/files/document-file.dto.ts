import { ApiProperty } from '#libs/common/openapi/api-docs.js';
import { IsIn, IsOptional } from 'class-validator';
import {
  DOCUMENT_FILE_SIDES,
  type DocumentFileEntity,
  type DocumentFileSide,
} from './document-file.entity.js';
import { ACCEPTED_CONTENT_TYPES } from './file-content.js';

/** A file of a document, as its owner and staff see it (never the bytes or key material). */
export class DocumentFileResponseDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ enum: DOCUMENT_FILE_SIDES })
  side: DocumentFileSide;

  @ApiProperty({ enum: ACCEPTED_CONTENT_TYPES, description: 'Decided from the content' })
  contentType: string;

  @ApiProperty({ description: 'Size of the stored file (images are re-encoded)' })
  sizeBytes: number;

  @ApiProperty({ description: 'Hex SHA-256 of the stored file, as downloaded' })
  sha256: string;

  @ApiProperty({ type: Number, nullable: true, description: 'Null for PDF' })
  width: number | null;

  @ApiProperty({ type: Number, nullable: true, description: 'Null for PDF' })
  height: number | null;

  @ApiProperty({ format: 'date-time' })
  createdAt: string;
}

export class DocumentFileListDto {
  @ApiProperty({ type: [DocumentFileResponseDto], description: 'Oldest first, at most 6' })
  items: DocumentFileResponseDto[];
}

/** The multipart body, for OpenAPI only (the route reads the stream itself). */
export class UploadDocumentFileDto {
  @ApiProperty({ enum: DOCUMENT_FILE_SIDES, description: 'Send this field before the file' })
  side: DocumentFileSide;

  @ApiProperty({
    type: 'string',
    format: 'binary',
    description: 'JPEG, PNG, WebP or PDF (by content); at most DOCUMENT_FILE_MAX_BYTES',
  })
  file: unknown;
}

export class FileContentQueryDto {
  @ApiProperty({ enum: ['original', 'preview'], required: false })
  @IsOptional()
  @IsIn(['original', 'preview'])
  variant?: 'original' | 'preview';
}

export function toDocumentFileResponse(file: DocumentFileEntity): DocumentFileResponseDto {
  return {
    id: file.id,
    side: file.side,
    contentType: file.contentType,
    sizeBytes: file.sizeBytes,
    sha256: file.sha256.trim(),
    width: file.width,
    height: file.height,
    createdAt: file.createdAt.toISOString(),
  };
}
