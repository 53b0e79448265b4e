import { TravelerGroupEntity, TravelerGroupMemberEntity } from './groups/traveler-group.entity.js';
import { TravelerDocumentEntity } from './traveler-document.entity.js';
import { TravelerPreferencesEntity } from './traveler-preferences.entity.js';
import { TravelerEntity } from './traveler.entity.js';

export const TRAVELERS_ENTITIES = [
  TravelerEntity,
  TravelerPreferencesEntity,
  TravelerDocumentEntity,
  TravelerGroupEntity,
  TravelerGroupMemberEntity,
];
