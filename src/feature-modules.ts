import type { Type } from '@nestjs/common';
import { DemoModule } from './demo/demo.module.js';
import { AuthModule } from './modules/auth/auth.module.js';
import { AuthPortsModule } from './modules/auth/auth-ports.module.js';
import { BookingsModule } from './modules/bookings/bookings.module.js';
import { ComplianceModule } from './modules/compliance/compliance.module.js';
import { PrivacyModule } from './modules/compliance/privacy/privacy.module.js';
import { DocumentsModule } from './modules/documents/documents.module.js';
import { ProfilesModule } from './modules/profiles/profiles.module.js';
import { SessionsModule } from './modules/sessions/sessions.module.js';
import { TravelersModule } from './modules/travelers/travelers.module.js';

/** Feature modules, in dependency order (lower layers first). */
export const FEATURE_MODULES: Type[] = [
  ComplianceModule,
  AuthModule,
  // SUBJECT_DIRECTORY for compliance and the support desk (port in libs/common).
  AuthPortsModule,
  DocumentsModule,
  ProfilesModule,
  TravelersModule,
  SessionsModule,
  BookingsModule,
  // Data-subject rights and retention over every module's @PersonalDataContributor.
  PrivacyModule,
  DemoModule,
];
