// The peer for `GET /api/v1/sessions/:id`: the same route written the way a typical NestJS team
// would write it, to compare against (bench/README.md, `sessions-get-peer`). Express adapter,
// @nestjs/passport + passport-jwt guard (a string secret, as the docs show), a session-liveness
// `findOne` with the user relation, TypeORM `findOne` of the entity, ParseUUIDPipe, Nest's
// default serialisation (JSON.stringify of the returned object). Same database, same tokens
// (secret, issuer, audience, claims), same response body as the real API.
// Plain JS (no build step): the decorators are applied by hand, exactly what `tsc` would emit.
// Env: DATABASE_URL, JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE, PORT, DATABASE_POOL_SIZE.
import 'reflect-metadata';
import {
  Controller,
  Get,
  Injectable,
  Module,
  NotFoundException,
  Param,
  ParseUUIDPipe,
  Req,
  UnauthorizedException,
  UseGuards,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { Column, Entity, IsNull, JoinColumn, ManyToOne, MoreThan, PrimaryColumn } from 'typeorm';

/** `@decorator` on a property or method, as tsc emits it. */
const onProperty = (target, key, ...decorators) => {
  for (const decorator of decorators) decorator(target.prototype, key);
};
const onMethod = (target, key, ...decorators) => {
  const descriptor = Object.getOwnPropertyDescriptor(target.prototype, key);
  for (const decorator of decorators) decorator(target.prototype, key, descriptor);
};

class UserEntity {}
Entity('users')(UserEntity);
onProperty(UserEntity, 'id', PrimaryColumn({ type: 'uuid' }));
onProperty(UserEntity, 'status', Column({ type: 'varchar' }));
onProperty(UserEntity, 'roles', Column({ type: 'text', array: true }));
onProperty(
  UserEntity,
  'emailVerifiedAt',
  Column({ type: 'timestamptz', nullable: true, name: 'email_verified_at' }),
);

class RefreshSessionEntity {}
Entity('refresh_sessions')(RefreshSessionEntity);
onProperty(RefreshSessionEntity, 'id', PrimaryColumn({ type: 'uuid' }));
onProperty(RefreshSessionEntity, 'userId', Column({ type: 'uuid', name: 'user_id' }));
onProperty(
  RefreshSessionEntity,
  'user',
  ManyToOne(() => UserEntity),
  JoinColumn({ name: 'user_id' }),
);
onProperty(
  RefreshSessionEntity,
  'revokedAt',
  Column({ type: 'timestamptz', nullable: true, name: 'revoked_at' }),
);
onProperty(
  RefreshSessionEntity,
  'absoluteExpiresAt',
  Column({ type: 'timestamptz', name: 'absolute_expires_at' }),
);

class TravelSessionEntity {}
Entity('unified_travel_sessions')(TravelSessionEntity);
onProperty(TravelSessionEntity, 'id', PrimaryColumn({ type: 'uuid' }));
onProperty(TravelSessionEntity, 'userId', Column({ type: 'uuid', name: 'user_id' }));
onProperty(TravelSessionEntity, 'status', Column({ type: 'varchar' }));
onProperty(TravelSessionEntity, 'title', Column({ type: 'varchar', nullable: true }));
onProperty(TravelSessionEntity, 'sessionData', Column({ type: 'jsonb', name: 'session_data' }));
onProperty(TravelSessionEntity, 'planData', Column({ type: 'jsonb', name: 'plan_data' }));
onProperty(
  TravelSessionEntity,
  'sessionMetadata',
  Column({ type: 'jsonb', name: 'session_metadata' }),
);
onProperty(TravelSessionEntity, 'version', Column({ type: 'integer' }));
onProperty(TravelSessionEntity, 'createdAt', Column({ type: 'timestamptz', name: 'created_at' }));
onProperty(TravelSessionEntity, 'updatedAt', Column({ type: 'timestamptz', name: 'updated_at' }));
onProperty(
  TravelSessionEntity,
  'lastActivityAt',
  Column({ type: 'timestamptz', name: 'last_activity_at' }),
);

class SessionMessageEntity {}
Entity('unified_session_messages')(SessionMessageEntity);
onProperty(SessionMessageEntity, 'sessionId', PrimaryColumn({ type: 'uuid', name: 'session_id' }));
onProperty(SessionMessageEntity, 'seq', PrimaryColumn({ type: 'integer' }));
onProperty(SessionMessageEntity, 'message', Column({ type: 'jsonb' }));

class JwtStrategy extends PassportStrategy(Strategy) {
  constructor(refreshSessions) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: process.env.JWT_SECRET,
      algorithms: ['HS256'],
      issuer: process.env.JWT_ISSUER ?? 'pathavana',
      audience: process.env.JWT_AUDIENCE ?? 'pathavana-api',
    });
    this.refreshSessions = refreshSessions;
  }

  async validate(payload) {
    const session = await this.refreshSessions.findOne({
      where: {
        id: payload.sid,
        userId: payload.sub,
        revokedAt: IsNull(),
        absoluteExpiresAt: MoreThan(new Date()),
      },
      relations: { user: true },
    });
    if (!session || session.user.status !== 'active') throw new UnauthorizedException();
    return { id: payload.sub, roles: session.user.roles, sessionId: payload.sid };
  }
}
Injectable()(JwtStrategy);
InjectRepository(RefreshSessionEntity)(JwtStrategy, undefined, 0);
Reflect.defineMetadata('design:paramtypes', [Object], JwtStrategy);

class SessionsController {
  constructor(sessions, messages) {
    this.sessions = sessions;
    this.messages = messages;
  }

  async get(id, request) {
    const session = await this.sessions.findOne({ where: { id, userId: request.user.id } });
    if (!session) throw new NotFoundException();
    const messages = await this.messages.find({ where: { sessionId: id }, order: { seq: 'ASC' } });
    return {
      id: session.id,
      status: session.status,
      title: session.title,
      planData: session.planData,
      sessionMetadata: session.sessionMetadata,
      version: session.version,
      createdAt: session.createdAt,
      updatedAt: session.updatedAt,
      lastActivityAt: session.lastActivityAt,
      sessionData: { ...session.sessionData, chatMessages: messages.map((row) => row.message) },
    };
  }
}
Controller('sessions')(SessionsController);
InjectRepository(TravelSessionEntity)(SessionsController, undefined, 0);
InjectRepository(SessionMessageEntity)(SessionsController, undefined, 1);
Reflect.defineMetadata('design:paramtypes', [Object, Object], SessionsController);
Param('id', ParseUUIDPipe)(SessionsController.prototype, 'get', 0);
Req()(SessionsController.prototype, 'get', 1);
Reflect.defineMetadata('design:paramtypes', [String, Object], SessionsController.prototype, 'get');
onMethod(SessionsController, 'get', Get(':id'), UseGuards(AuthGuard('jwt')));

class AppModule {}
Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'postgres',
      url: process.env.DATABASE_URL,
      entities: [UserEntity, RefreshSessionEntity, TravelSessionEntity, SessionMessageEntity],
      synchronize: false,
      extra: { max: Number(process.env.DATABASE_POOL_SIZE ?? 10) },
    }),
    TypeOrmModule.forFeature([RefreshSessionEntity, TravelSessionEntity, SessionMessageEntity]),
    PassportModule,
  ],
  controllers: [SessionsController],
  providers: [JwtStrategy],
})(AppModule);

const app = await NestFactory.create(AppModule, { logger: ['error', 'warn'] });
app.setGlobalPrefix('api/v1');
app.enableShutdownHooks();
await app.listen(Number(process.env.PORT ?? 3200), '127.0.0.1');
process.stdout.write(`peer listening on ${process.env.PORT}\n`);
