import { Module, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { FastifyInstance } from 'fastify';
import { SessionsPersonalDataContributor } from './privacy/sessions-personal-data.contributor.js';
import { SavedItemsController } from './saved-items.controller.js';
import { SavedItemsService } from './saved-items.service.js';
import { MERGE_PATCH_JSON, SessionsController } from './sessions.controller.js';
import { SESSIONS_ENTITIES } from './sessions.entities.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';

@Module({
  imports: [TypeOrmModule.forFeature(SESSIONS_ENTITIES)],
  controllers: [SessionsController, SavedItemsController],
  providers: [
    SessionsRepository,
    SessionsService,
    SavedItemsService,
    SessionsPersonalDataContributor,
  ],
  exports: [SessionsService, SavedItemsService],
})
export class SessionsModule implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** PATCH bodies may be sent as RFC 7396 `application/merge-patch+json` (parsed as JSON). */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify || fastify.hasContentTypeParser(MERGE_PATCH_JSON)) return;
    fastify.addContentTypeParser(
      MERGE_PATCH_JSON,
      { parseAs: 'string' },
      fastify.getDefaultJsonParser('error', 'error'),
    );
  }
}
