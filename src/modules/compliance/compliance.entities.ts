import { AuditEventEntity } from './audit-event.entity.js';
import { ConsentEventEntity } from './consent-event.entity.js';
import { ConsentNoticeEntity } from './consent-notice.entity.js';

export const COMPLIANCE_ENTITIES = [ConsentNoticeEntity, ConsentEventEntity, AuditEventEntity];
