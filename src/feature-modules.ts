import type { Type } from '@nestjs/common';

/** Feature modules, in dependency order (lower layers first). */
export const FEATURE_MODULES: Type[] = [];
