import { PrivacyRequestEntity, PrivacyRequestEventEntity } from './privacy-request.entity.js';

export const PRIVACY_ENTITIES = [PrivacyRequestEntity, PrivacyRequestEventEntity];
