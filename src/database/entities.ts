import type { EntityList } from '#libs/database/data-source-options.js';
import { AUTH_ENTITIES } from '../modules/auth/auth.entities.js';
import { BOOKINGS_ENTITIES } from '../modules/bookings/bookings.entities.js';
import { COMPLIANCE_ENTITIES } from '../modules/compliance/compliance.entities.js';
import { PRIVACY_ENTITIES } from '../modules/compliance/privacy/privacy.entities.js';
import { DOCUMENTS_ENTITIES } from '../modules/documents/documents.entities.js';
import { PROFILES_ENTITIES } from '../modules/profiles/profiles.entities.js';
import { SESSIONS_ENTITIES } from '../modules/sessions/sessions.entities.js';
import { TRAVELERS_ENTITIES } from '../modules/travelers/travelers.entities.js';
import { ScheduledJobRunEntity } from '#libs/common/scheduling/scheduled-job-run.entity.js';

/**
 * Every entity of the app, gathered from the feature modules. The app, the migration scripts
 * and the drift test all load exactly this list.
 */
export const ALL_ENTITIES: EntityList = [
  ScheduledJobRunEntity,
  ...COMPLIANCE_ENTITIES,
  ...PRIVACY_ENTITIES,
  ...AUTH_ENTITIES,
  ...DOCUMENTS_ENTITIES,
  ...PROFILES_ENTITIES,
  ...TRAVELERS_ENTITIES,
  ...SESSIONS_ENTITIES,
  ...BOOKINGS_ENTITIES,
];
