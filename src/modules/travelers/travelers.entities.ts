import { TravelerPreferencesEntity } from './traveler-preferences.entity.js';
import { TravelerEntity } from './traveler.entity.js';

export const TRAVELERS_ENTITIES = [TravelerEntity, TravelerPreferencesEntity];
