import { ModulesContainer } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type {
  OpenAPIObject,
  OperationObject,
  ReferenceObject,
  SchemaObject,
} from '@nestjs/swagger';
import { IS_PUBLIC_KEY } from '#libs/common/auth/decorators.js';
import { loadedSwagger } from '#libs/common/openapi/api-docs.js';
import { PROBLEM_CONTENT_TYPE } from '#libs/common/errors/problem-details.filter.js';

/**
 * The OpenAPI document, built from the code (`npm run openapi:generate` commits it; Swagger UI
 * serves it). Besides what @nestjs/swagger infers, it completes what client generators and
 * `redocly lint` (recommended rules, `npm run lint:openapi`) expect, from the code's own metadata:
 * - security: `@Public()` operations say `security: []`, every other one the bearer scheme
 *   (the guards' rule: metadata read method first, then class);
 * - every operation documents its errors: a `4XX` problem-details response;
 * - a `nullable` schema always has a `type` (Nest writes `allOf: [$ref]` without one);
 * - servers, license and a description for each tag.
 */

const BEARER = 'bearer';
const PROBLEM_SCHEMA = 'ProblemDetails';

/** One line per tag, shown as the section intro in documentation tools. */
const TAG_DESCRIPTIONS: Record<string, string> = {
  auth: 'Accounts, sign-in (password, MFA, OpenID Connect), tokens and device sessions',
  profiles: "The caller's profile, travel preferences and travel documents",
  travelers: 'People the caller travels with, and their documents',
  sessions: 'Chat-driven trip planning sessions',
  bookings: 'Bookings of flights, hotels and activities: quotes, idempotent creation, cancellation',
  consents: "The caller's consent decisions",
  privacy: 'Data-subject rights: export and erasure',
  compliance: 'Consent ledger, audit trail and consent-record exports (compliance staff)',
  admin: 'Support desk and document verification (admins)',
  platform: 'Health, enum registry and model registry',
};

/** Needs @nestjs/swagger loaded (`loadSwagger()`: setupApp does it when it serves the docs). */
export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const { DocumentBuilder, SwaggerModule } = loadedSwagger();
  const config = new DocumentBuilder()
    .setTitle('Pathavana API')
    .setDescription(
      'Travel planning: profiles, travelers, planning sessions, bookings and compliance. ' +
        'Errors are RFC 9457 problem details with a stable `code`.',
    )
    .setVersion('1.0.0')
    .setLicense('Proprietary', '')
    .addServer('/', 'The server that serves this document (paths carry the /api/v1 prefix)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, BEARER)
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controllerKey, methodKey) => operationIdOf(controllerKey, methodKey),
  });
  completeDocument(document, publicOperationIds(app));
  return document;
}

function operationIdOf(controllerKey: string, methodKey: string): string {
  return `${controllerKey.replace(/Controller$/, '')}_${methodKey}`;
}

/** The operation ids of the handlers marked `@Public()` (on the method or its controller). */
function publicOperationIds(app: NestFastifyApplication): Set<string> {
  const ids = new Set<string>();
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controller) continue;
      const classPublic = Reflect.getMetadata(IS_PUBLIC_KEY, controller) === true;
      const prototype = controller.prototype as Record<string, unknown>;
      for (const methodKey of Object.getOwnPropertyNames(prototype)) {
        const handler = Object.getOwnPropertyDescriptor(prototype, methodKey)?.value as unknown;
        if (methodKey === 'constructor' || typeof handler !== 'function') continue;
        const methodPublic = Reflect.getMetadata(IS_PUBLIC_KEY, handler) as boolean | undefined;
        if (methodPublic ?? classPublic) ids.add(operationIdOf(controller.name, methodKey));
      }
    }
  }
  return ids;
}

function completeDocument(document: OpenAPIObject, publicIds: Set<string>): void {
  document.components ??= {};
  const schemas = (document.components.schemas ??= {});
  schemas[PROBLEM_SCHEMA] = problemDetailsSchema();
  const usedTags = new Set<string>();
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as OperationObject[]) {
      if (typeof operation !== 'object' || !operation.responses) continue;
      operation.security = publicIds.has(operation.operationId ?? '') ? [] : [{ [BEARER]: [] }];
      if (!Object.keys(operation.responses).some((status) => /^4/.test(status))) {
        operation.responses['4XX'] = {
          description: 'Refused: problem details (RFC 9457) with a stable `code`',
          content: {
            [PROBLEM_CONTENT_TYPE]: { schema: { $ref: `#/components/schemas/${PROBLEM_SCHEMA}` } },
          },
        };
      }
      for (const tag of operation.tags ?? []) usedTags.add(tag);
    }
  }
  document.tags = [...usedTags].sort().map((name) => ({
    name,
    ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}),
  }));
  for (const schema of Object.values(schemas)) typeNullables(schema, schemas);
}

/** Gives `nullable` schemas without a `type` the type of what they refer to. */
function typeNullables(
  schema: SchemaObject | ReferenceObject,
  schemas: Record<string, SchemaObject | ReferenceObject>,
): void {
  if ('$ref' in schema) return;
  if (schema.nullable && !schema.type) {
    const only = schema.allOf?.length === 1 ? schema.allOf[0] : undefined;
    const target = only && '$ref' in only ? schemas[only.$ref.split('/').pop() ?? ''] : undefined;
    const type = target && !('$ref' in target) ? (target.type ?? 'object') : 'object';
    schema.type = type;
  }
  for (const child of [
    ...Object.values(schema.properties ?? {}),
    ...(schema.items ? [schema.items] : []),
    ...(schema.allOf ?? []),
    ...(schema.oneOf ?? []),
    ...(schema.anyOf ?? []),
  ]) {
    typeNullables(child, schemas);
  }
}

function problemDetailsSchema(): SchemaObject {
  return {
    type: 'object',
    description: 'RFC 9457 problem details; `code` is stable and UPPER_SNAKE',
    required: ['type', 'title', 'status', 'detail', 'code', 'requestId'],
    properties: {
      type: { type: 'string', example: '/problems/validation-failed' },
      title: { type: 'string', example: 'Bad Request' },
      status: { type: 'integer', example: 400 },
      detail: { type: 'string' },
      code: { type: 'string', example: 'VALIDATION_FAILED' },
      requestId: { type: 'string', description: 'Quote it when reporting a problem' },
      errors: {
        type: 'object',
        description: 'Field path → messages (validation failures)',
        additionalProperties: { type: 'array', items: { type: 'string' } },
      },
    },
    additionalProperties: true,
  };
}
