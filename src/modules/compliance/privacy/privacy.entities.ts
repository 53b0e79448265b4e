import { PrivacyRequestEntity } from './privacy-request.entity.js';

export const PRIVACY_ENTITIES = [PrivacyRequestEntity];
