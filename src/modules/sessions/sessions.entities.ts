import { SavedItemEntity } from './saved-item.entity.js';
import { SessionMessageEntity } from './session-message.entity.js';
import { TravelSessionEntity } from './travel-session.entity.js';

export const SESSIONS_ENTITIES = [TravelSessionEntity, SessionMessageEntity, SavedItemEntity];
