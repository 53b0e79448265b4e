import { Injectable, Logger } from '@nestjs/common';
import * as client from 'openid-client';
import { FieldCipher } from '#libs/common/crypto/field-cipher.js';
import {
  badRequest,
  forbidden,
  notFound,
  ProblemException,
  unprocessable,
} from '#libs/common/errors/problem.exception.js';
import { type AppConfig, InjectConfig } from '#config/app-config.js';
import type { OidcProviderConfig } from '#config/oidc-providers.js';
import type { AuthResponseDto, MfaChallengeResponseDto } from '../dto/auth.dto.js';
import { externalProviderKind } from '../auth-provider-kind.js';
import type { OAuthLoginFlowEntity } from '../entities/oauth-login-flow.entity.js';
import { IdentitiesRepository } from '../repositories/identities.repository.js';
import { OAuthFlowsRepository } from '../repositories/oauth-flows.repository.js';
import { UsersRepository } from '../repositories/users.repository.js';
import { AuthEventsService } from './auth-events.service.js';
import { accountSuspended, AuthService } from './auth.service.js';
import type { RequestMeta } from './request-meta.js';
import { DeviceSessionsService } from './device-sessions.service.js';
import { isUuid, randomToken, sha256 } from './token.service.js';
import { API_PREFIX } from '#libs/common/http/api-prefix.js';

export const OAUTH_COOKIE = 'pathavana_oauth';
const FLOW_TTL_SECONDS = 600;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface AuthorizeResult {
  url: string;
  cookie: string;
}

const emailNotVerified = (): ProblemException =>
  forbidden(
    'OIDC_EMAIL_NOT_VERIFIED',
    'The provider does not confirm that this email address is verified; no account is created ' +
      'or linked from it. Sign in another way and link the provider from there.',
  );

const providerNotConfigured = (): ProblemException =>
  notFound('OAUTH_PROVIDER_NOT_CONFIGURED', 'This sign-in provider is not configured.');

const invalidCallback = (code: string, detail: string): ProblemException =>
  badRequest(code, detail);

/**
 * OpenID Connect sign-in (authorization code + PKCE S256 + state + nonce) with openid-client.
 * The state, nonce and PKCE verifier stay in `oauth_login_flows`; the browser carries only a
 * cookie naming the row plus a binding secret, so a callback from another browser is refused.
 * Identities are keyed by (issuer, subject); an account is created or linked only when the
 * provider asserts `email_verified: true`, never linked into a staff account, and an account with
 * TOTP gets an MFA challenge from the callback like a password sign-in.
 */
@Injectable()
export class OAuthService {
  private readonly logger = new Logger(OAuthService.name);
  private readonly providers: ReadonlyMap<string, OidcProviderConfig>;
  private readonly discovered = new Map<string, Promise<client.Configuration>>();

  constructor(
    private readonly flows: OAuthFlowsRepository,
    private readonly users: UsersRepository,
    private readonly identities: IdentitiesRepository,
    @InjectConfig() private readonly config: AppConfig,
    private readonly cipher: FieldCipher,
    private readonly auth: AuthService,
    private readonly sessions: DeviceSessionsService,
    private readonly events: AuthEventsService,
  ) {
    this.providers = new Map(config.OIDC_PROVIDERS.map((provider) => [provider.name, provider]));
  }

  get cookiePath(): string {
    return `${API_PREFIX}/auth/oauth`;
  }

  redirectUri(provider: string): string {
    return new URL(
      `${API_PREFIX}/auth/oauth/${provider}/callback`,
      this.config.PUBLIC_BASE_URL,
    ).toString();
  }

  async authorize(name: string): Promise<AuthorizeResult> {
    const provider = this.provider(name);
    const configuration = await this.configuration(provider);
    const codeVerifier = client.randomPKCECodeVerifier();
    const state = client.randomState();
    const nonce = client.randomNonce();
    const binding = randomToken(32);
    const flow = this.flows.create({
      provider: provider.name,
      bindingHash: sha256(binding),
      state,
      nonce,
      codeVerifier: '',
      expiresAt: new Date(Date.now() + FLOW_TTL_SECONDS * 1000),
    });
    flow.codeVerifier = this.cipher.encrypt(codeVerifier, `oauth-flow:${provider.name}`);
    await this.flows.save(flow);
    // Expired flows are garbage; clear them opportunistically.
    await this.flows.deleteExpired();
    const url = client.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri(provider.name),
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, cookie: this.cookie(`${flow.id}.${binding}`, FLOW_TTL_SECONDS) };
  }

  /** Clears the flow cookie. */
  clearCookie(): string {
    return this.cookie('', 0);
  }

  async callback(
    name: string,
    query: string,
    cookieHeader: string | undefined,
    meta: RequestMeta,
  ): Promise<AuthResponseDto | MfaChallengeResponseDto> {
    const provider = this.provider(name);
    const flow = await this.takeFlow(provider.name, cookieHeader);
    const configuration = await this.configuration(provider);
    const currentUrl = new URL(this.redirectUri(provider.name));
    currentUrl.search = query;
    if (currentUrl.searchParams.has('error')) {
      throw invalidCallback('OAUTH_DENIED', 'The provider did not authorize the sign-in.');
    }
    let claims: client.IDToken | undefined;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        pkceCodeVerifier: this.cipher.decrypt(flow.codeVerifier, `oauth-flow:${provider.name}`),
        expectedState: flow.state,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
      });
      claims = tokens.claims();
    } catch (error) {
      throw this.callbackProblem(error);
    }
    if (!claims || typeof claims.sub !== 'string') {
      throw invalidCallback('OAUTH_CALLBACK_INVALID', 'The provider sent no usable ID token.');
    }
    return this.signInWithIdentity(provider, claims, meta);
  }

  private async signInWithIdentity(
    provider: OidcProviderConfig,
    claims: client.IDToken,
    meta: RequestMeta,
  ): Promise<AuthResponseDto | MfaChallengeResponseDto> {
    const issuer = claims.iss;
    const subject = claims.sub;
    const email = typeof claims.email === 'string' ? claims.email.trim().toLowerCase() : null;
    const emailVerified = claims.email_verified === true;
    const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : null;

    const outcome = await this.users.transaction(async (users, manager) => {
      const identities = this.identities.withManager(manager);
      const identity = await identities.findByIssuerSubject(issuer, subject);
      if (identity) {
        await identities.touch(identity.id, new Date());
        const user = await users.findByIdOrFail(identity.userId);
        return { user, linked: false, created: false };
      }
      if (!email) {
        throw unprocessable('OAUTH_EMAIL_REQUIRED', 'The provider did not share an email address.');
      }
      // Creating or linking trusts the provider's word that this person owns the address.
      if (!emailVerified) throw emailNotVerified();
      let user = await users.findByEmailForUpdate(email);
      let created = false;
      if (user) {
        if (user.roles.some((role) => role !== 'user')) {
          // A staff account is never taken over by whoever controls its email at a provider.
          throw forbidden(
            'OIDC_LINK_TO_STAFF_REFUSED',
            'This email belongs to a staff account; sign in with its password and second ' +
              'factor, then link the provider from the signed-in session.',
          );
        }
        if (user.status === 'deleted')
          throw new ProblemException(401, 'INVALID_CREDENTIALS', 'The account is closed.');
        if (!user.emailVerifiedAt) {
          // Someone registered this address without proving it. The provider proves the owner:
          // drop that unproven password and its sessions (account pre-hijacking defence).
          user.passwordHash = null;
          user.emailVerifiedAt = new Date();
          if (user.status === 'pending_verification') user.status = 'active';
          await users.save(user);
          await this.sessions.revokeAll(user.id, 'oauth_takeover', undefined, manager);
        }
      } else {
        user = users.create({
          email,
          fullName: name ?? email.split('@')[0] ?? email,
          passwordHash: null,
          status: 'active',
          emailVerifiedAt: new Date(),
          roles: ['user'],
        });
        await users.save(user);
        created = true;
        await this.events.record(
          'register',
          { userId: user.id, meta, metadata: { provider: provider.name } },
          manager,
        );
      }
      await identities.insert({
        userId: user.id,
        provider: provider.name,
        providerKind: externalProviderKind(provider.name, issuer),
        issuer,
        subject,
        email,
        lastUsedAt: new Date(),
      });
      await this.events.record(
        'oauth_linked',
        { userId: user.id, meta, metadata: { provider: provider.name, issuer } },
        manager,
      );
      return { user, linked: true, created };
    });
    await this.events.record('oauth_login', {
      userId: outcome.user.id,
      meta,
      metadata: { provider: provider.name, linked: outcome.linked, created: outcome.created },
    });
    if (outcome.user.status === 'deleted') {
      throw new ProblemException(401, 'INVALID_CREDENTIALS', 'The account is closed.');
    }
    if (outcome.user.status === 'suspended') throw accountSuspended();
    // TOTP guards every way in: a provider sign-in is a first factor like a password.
    if (outcome.user.mfaEnabledAt) return this.auth.mfaChallenge(outcome.user.id, provider.name);
    return this.auth.signIn(outcome.user, `oidc:${provider.name}`, meta);
  }

  private provider(name: string): OidcProviderConfig {
    const provider = this.providers.get(name.toLowerCase());
    if (!provider) throw providerNotConfigured();
    return provider;
  }

  private configuration(provider: OidcProviderConfig): Promise<client.Configuration> {
    let pending = this.discovered.get(provider.name);
    if (!pending) {
      const issuer = new URL(provider.issuer);
      const insecure = issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname);
      pending = client.discovery(
        issuer,
        provider.clientId,
        undefined,
        client.ClientSecretBasic(provider.clientSecret),
        insecure ? { execute: [client.allowInsecureRequests] } : undefined,
      );
      this.discovered.set(provider.name, pending);
      pending.catch(() => this.discovered.delete(provider.name));
    }
    return pending.catch((error: unknown) => {
      this.logger.warn(`OIDC discovery failed for ${provider.name}: ${String(error)}`);
      throw new ProblemException(
        503,
        'OAUTH_PROVIDER_UNAVAILABLE',
        'The sign-in provider cannot be reached; try again later.',
        { headers: { 'Retry-After': '30' } },
      );
    });
  }

  /** Loads and deletes (single use) the flow named by the cookie, checking its binding. */
  private async takeFlow(
    provider: string,
    cookieHeader: string | undefined,
  ): Promise<OAuthLoginFlowEntity> {
    const value = readCookie(cookieHeader, OAUTH_COOKIE);
    const [flowId, binding] = value?.split('.') ?? [];
    const missing = (): ProblemException =>
      invalidCallback(
        'OAUTH_STATE_MISMATCH',
        'This sign-in was not started in this browser or has expired; start again.',
      );
    if (!flowId || !binding || !isUuid(flowId)) throw missing();
    const row = await this.flows.take(flowId, provider, sha256(binding));
    if (!row) throw missing();
    return this.flows.create({ ...row, provider });
  }

  private callbackProblem(error: unknown): ProblemException {
    if (error instanceof ProblemException) return error;
    if (error instanceof client.ResponseBodyError) {
      return invalidCallback(
        'OAUTH_CODE_EXCHANGE_FAILED',
        'The provider refused the authorization code.',
      );
    }
    if (error instanceof client.ClientError) {
      const cause = String((error.cause as Error | undefined)?.message ?? '');
      if (/"state"/.test(cause)) {
        return invalidCallback(
          'OAUTH_STATE_MISMATCH',
          'The sign-in state does not match; start again.',
        );
      }
      if (/nonce/.test(cause) || error.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED') {
        return invalidCallback(
          'OAUTH_NONCE_MISMATCH',
          'The ID token was not issued for this sign-in.',
        );
      }
      return invalidCallback('OAUTH_CALLBACK_INVALID', 'The provider response was not valid.');
    }
    this.logger.warn(`OIDC callback failed: ${String(error)}`);
    return new ProblemException(
      503,
      'OAUTH_PROVIDER_UNAVAILABLE',
      'The sign-in provider cannot be reached; try again later.',
    );
  }

  private cookie(value: string, maxAge: number): string {
    const secure = this.config.PUBLIC_BASE_URL.startsWith('https:') ? '; Secure' : '';
    return `${OAUTH_COOKIE}=${value}; Path=${this.cookiePath}; Max-Age=${maxAge}; HttpOnly; SameSite=Lax${secure}`;
  }
}

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() !== name) continue;
    try {
      return decodeURIComponent(part.slice(index + 1).trim());
    } catch {
      return undefined; // malformed percent-encoding: no usable cookie (400, never a 500)
    }
  }
  return undefined;
}
