import { AuthEventEntity } from './entities/auth-event.entity.js';
import { ExternalIdentityEntity } from './entities/external-identity.entity.js';
import { LoginFailureEntity } from './entities/login-failure.entity.js';
import { OAuthLoginFlowEntity } from './entities/oauth-login-flow.entity.js';
import { OneTimeTokenEntity } from './entities/one-time-token.entity.js';
import { RefreshSessionEntity } from './entities/refresh-session.entity.js';
import { UserEntity } from './entities/user.entity.js';

export const AUTH_ENTITIES = [
  UserEntity,
  RefreshSessionEntity,
  OneTimeTokenEntity,
  AuthEventEntity,
  ExternalIdentityEntity,
  OAuthLoginFlowEntity,
  LoginFailureEntity,
];
