import type { PrivacyRequestResponseDto } from './dto/privacy.dto.js';
import type { PrivacyRequestEntity } from './privacy-request.entity.js';

export const toPrivacyRequestDto = (request: PrivacyRequestEntity): PrivacyRequestResponseDto => ({
  id: request.id,
  type: request.type,
  subjectId: request.subjectId,
  status: request.status,
  receivedAt: request.receivedAt.toISOString(),
  dueAt: request.dueAt.toISOString(),
  completedAt: request.completedAt?.toISOString() ?? null,
  outcome: request.outcome,
});
