import type { AuditEventEntity } from './audit-event.entity.js';
import type { ConsentEventEntity } from './consent-event.entity.js';
import type { ConsentState } from './consent-ledger.service.js';
import type { ConsentNoticeEntity } from './consent-notice.entity.js';
import type { AuditEventResponseDto } from './dto/audit-event.dto.js';
import type { ConsentNoticeResponseDto } from './dto/consent-notice.dto.js';
import type { ConsentEventResponseDto, ConsentStateResponseDto } from './dto/consent.dto.js';

export const toConsentNoticeDto = (notice: ConsentNoticeEntity): ConsentNoticeResponseDto => ({
  purpose: notice.purpose,
  version: notice.version,
  title: notice.title,
  text: notice.text,
  textSha256: notice.textSha256,
  requiredFor: notice.requiredFor,
  requiresReconsent: notice.requiresReconsent,
  publishedAt: notice.publishedAt.toISOString(),
});

export const toConsentEventDto = (event: ConsentEventEntity): ConsentEventResponseDto => ({
  id: event.id,
  purpose: event.purpose,
  noticeVersion: event.noticeVersion,
  textSha256: event.textSha256,
  decision: event.decision,
  occurredAt: event.occurredAt.toISOString(),
  source: event.source,
  travelerId: event.travelerId,
  actorId: event.actorId,
  ip: event.ip,
  userAgent: event.userAgent,
  seq: event.seq,
  prevHash: event.prevHash,
  hash: event.hash,
});

export const toConsentStateDto = (state: ConsentState): ConsentStateResponseDto => ({
  purpose: state.purpose,
  granted: state.granted,
  currentVersion: state.currentVersion,
  reconsentRequired: state.latest?.decision === 'granted' && !state.granted,
  decision: state.latest?.decision ?? null,
  noticeVersion: state.latest?.noticeVersion ?? null,
  decidedAt: state.latest?.occurredAt.toISOString() ?? null,
});

export const toAuditEventDto = (event: AuditEventEntity): AuditEventResponseDto => ({
  id: event.id,
  occurredAt: event.occurredAt.toISOString(),
  actorId: event.actorId,
  actorRoles: event.actorRoles,
  action: event.action,
  subjectId: event.subjectId,
  resourceType: event.resourceType,
  resourceId: event.resourceId,
  reason: event.reason,
  requestId: event.requestId,
});
