import type {
  PrivacyRequestDetailDto,
  PrivacyRequestResponseDto,
} from './dto/privacy-requests.dto.js';
import type { PrivacyRequestEntity, PrivacyRequestEventEntity } from './privacy-request.entity.js';
import { OPEN_PRIVACY_REQUEST_STATUSES } from './privacy-request-states.js';

const iso = (value: Date | null): string | null => value?.toISOString() ?? null;

export const isOverdue = (request: PrivacyRequestEntity, now: Date = new Date()): boolean =>
  OPEN_PRIVACY_REQUEST_STATUSES.some((status) => status === request.status) &&
  (request.extendedDueAt ?? request.dueAt).getTime() < now.getTime();

export const toPrivacyRequestDto = (request: PrivacyRequestEntity): PrivacyRequestResponseDto => ({
  id: request.id,
  type: request.type,
  channel: request.channel,
  subjectId: request.subjectId,
  subjectEmail: request.subjectEmail,
  details: request.details,
  status: request.status,
  receivedAt: request.receivedAt.toISOString(),
  dueAt: request.dueAt.toISOString(),
  extendedDueAt: iso(request.extendedDueAt),
  extensionReason: request.extensionReason,
  overdue: isOverdue(request),
  identityMethod: request.identityMethod,
  completedAt: iso(request.completedAt),
  outcome: request.outcome,
  rejectionReason: request.rejectionReason,
  result: request.result,
});

export const toPrivacyRequestDetailDto = (
  request: PrivacyRequestEntity,
  history: readonly PrivacyRequestEventEntity[],
): PrivacyRequestDetailDto => ({
  ...toPrivacyRequestDto(request),
  history: history.map((event) => ({
    at: event.at.toISOString(),
    actorId: event.actorId,
    from: event.fromStatus,
    to: event.toStatus,
    reason: event.reason,
  })),
});
