import { PartialType } from '@nestjs/swagger';
import { CreateDocumentDto } from './create-document.dto.js';

/**
 * Partial update (rectification). Changing the content of a reviewed document sends it back to
 * `pending`. Optional fields accept `null` to clear them.
 */
export class UpdateDocumentDto extends PartialType(CreateDocumentDto) {}
