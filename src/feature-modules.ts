import type { Type } from '@nestjs/common';
import { DocumentsModule } from './modules/documents/documents.module.js';
import { ProfilesModule } from './modules/profiles/profiles.module.js';

/** Feature modules, in dependency order (lower layers first). */
export const FEATURE_MODULES: Type[] = [DocumentsModule, ProfilesModule];
