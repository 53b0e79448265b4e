import { TravelPreferencesEntity } from './travel-preferences.entity.js';
import { UserDocumentEntity } from './user-document.entity.js';
import { UserProfileEntity } from './user-profile.entity.js';

export const PROFILES_ENTITIES = [UserProfileEntity, TravelPreferencesEntity, UserDocumentEntity];
