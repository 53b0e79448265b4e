import type { Type } from '@nestjs/common';
import {
  applyIsOptionalDecorator,
  inheritPropertyInitializers,
  inheritTransformationMetadata,
  inheritValidationMetadata,
} from '@nestjs/mapped-types';
import type * as Swagger from '@nestjs/swagger';

/*
 * The @nestjs/swagger decorators, recorded at import and applied when the OpenAPI document is
 * first needed (Swagger UI on, `openapi:generate`, the tests). Importing @nestjs/swagger loads
 * ~530 modules (its barrel and es-toolkit's): about a tenth of the production start-up, for
 * metadata that a production instance without SWAGGER_ENABLED never reads.
 *
 * Import the decorators from here, never from '@nestjs/swagger' (a lint rule says so). The
 * recorded decorators are replayed in their original order by `loadSwagger()`, so the metadata
 * is exactly what eager decoration wrote (`npm run openapi:generate` reproduces the committed
 * openapi.json). Decorators applied after the load run at once.
 */

export type SwaggerApi = typeof Swagger;
type Replay = (swagger: SwaggerApi) => void;

let loaded: SwaggerApi | undefined;
const pending: Replay[] = [];
/** Documented property names by prototype (what swagger's mapped types read from its metadata). */
const documentedByPrototype = new WeakMap<object, string[]>();

function whenLoaded(replay: Replay): void {
  if (loaded) replay(loaded);
  else pending.push(replay);
}

/** Loads @nestjs/swagger once and applies every decorator recorded so far. */
export async function loadSwagger(): Promise<SwaggerApi> {
  if (!loaded) {
    const swagger = await import('@nestjs/swagger');
    if (!loaded) {
      for (const replay of pending.splice(0)) replay(swagger);
      loaded = swagger;
    }
  }
  return loaded;
}

/** @nestjs/swagger after `loadSwagger()` (the app loads it at setup when the docs are served). */
export function loadedSwagger(): SwaggerApi {
  if (!loaded) throw new Error('@nestjs/swagger is not loaded: await loadSwagger() first');
  return loaded;
}

type DecoratorName =
  | 'ApiBearerAuth'
  | 'ApiBody'
  | 'ApiConsumes'
  | 'ApiCreatedResponse'
  | 'ApiExtraModels'
  | 'ApiFoundResponse'
  | 'ApiHeader'
  | 'ApiNoContentResponse'
  | 'ApiOkResponse'
  | 'ApiOperation'
  | 'ApiProduces'
  | 'ApiProperty'
  | 'ApiPropertyOptional'
  | 'ApiTags';

/** A decorator factory with swagger's signature whose decorator is applied on load. */
function deferred<N extends DecoratorName>(name: N): SwaggerApi[N] {
  const factory =
    (...args: unknown[]) =>
    (target: object, key?: string | symbol, descriptor?: PropertyDescriptor): void => {
      whenLoaded((swagger) => {
        const decorate = (swagger[name] as (...a: unknown[]) => (...d: unknown[]) => unknown)(
          ...args,
        );
        decorate(target, key, descriptor);
      });
    };
  return factory as unknown as SwaggerApi[N];
}

/** A property decorator that is also remembered as documented (for the mapped types below). */
function deferredProperty<N extends 'ApiProperty' | 'ApiPropertyOptional'>(name: N): SwaggerApi[N] {
  const factory = deferred(name) as (...args: unknown[]) => PropertyDecorator;
  return ((...args: unknown[]) =>
    (target: object, key: string | symbol): void => {
      markDocumented(target, String(key));
      factory(...args)(target, key);
    }) as unknown as SwaggerApi[N];
}

export const ApiBearerAuth = deferred('ApiBearerAuth');
export const ApiBody = deferred('ApiBody');
export const ApiConsumes = deferred('ApiConsumes');
export const ApiCreatedResponse = deferred('ApiCreatedResponse');
export const ApiExtraModels = deferred('ApiExtraModels');
export const ApiFoundResponse = deferred('ApiFoundResponse');
export const ApiHeader = deferred('ApiHeader');
export const ApiNoContentResponse = deferred('ApiNoContentResponse');
export const ApiOkResponse = deferred('ApiOkResponse');
export const ApiOperation = deferred('ApiOperation');
export const ApiProduces = deferred('ApiProduces');
export const ApiProperty = deferredProperty('ApiProperty');
export const ApiPropertyOptional = deferredProperty('ApiPropertyOptional');
export const ApiTags = deferred('ApiTags');

/** `#/components/schemas/<class name>` (swagger's getSchemaPath; no @ApiSchema renames here). */
export function getSchemaPath(model: string | Type<unknown>): string {
  return `#/components/schemas/${typeof model === 'string' ? model : model.name}`;
}

function markDocumented(prototype: object, key: string): void {
  const own = documentedByPrototype.get(prototype) ?? [];
  if (!own.includes(key)) documentedByPrototype.set(prototype, [...own, key]);
}

/** The documented properties of a class, its ancestors' first (swagger's model properties). */
function documentedKeys(prototype: object): string[] {
  const chain: object[] = [];
  for (
    let p: object | null = prototype;
    p && p !== Object.prototype;
    p = Reflect.getPrototypeOf(p)
  ) {
    chain.unshift(p);
  }
  return [...new Set(chain.flatMap((p) => documentedByPrototype.get(p) ?? []))];
}

/** Copies the swagger property metadata of `keys` from `source` to `target`, adjusted. */
function documentLike(
  target: Type<unknown>,
  source: Type<unknown>,
  keys: string[],
  adjust: (metadata: object) => object,
): void {
  for (const key of keys) markDocumented(target.prototype as object, key);
  whenLoaded((swagger) => {
    for (const key of keys) {
      const metadata = (Reflect.getMetadata(
        swagger.DECORATORS.API_MODEL_PROPERTIES,
        source.prototype as object,
        key,
      ) ?? {}) as object;
      swagger.ApiProperty(adjust(metadata))(target.prototype as object, key);
    }
  });
}

/**
 * swagger's PartialType: every validated or documented property becomes optional (validation
 * and transformation metadata copied at once, the documentation on load).
 */
export function PartialType<T>(classRef: Type<T>): Type<Partial<T>> {
  class PartialTypeClass {
    constructor() {
      inheritPropertyInitializers(this, classRef);
    }
  }
  Object.defineProperty(PartialTypeClass, 'name', { value: `Partial${classRef.name}` });
  const documented = documentedKeys(classRef.prototype as object);
  const validated = inheritValidationMetadata(classRef, PartialTypeClass) ?? [];
  for (const key of new Set([...validated, ...documented])) {
    applyIsOptionalDecorator(PartialTypeClass, key);
  }
  inheritTransformationMetadata(classRef, PartialTypeClass);
  documentLike(PartialTypeClass, classRef, documented, (metadata) => ({
    ...metadata,
    required: false,
  }));
  return PartialTypeClass as Type<Partial<T>>;
}

/** swagger's OmitType: the class without `keys` (validation, transformation, documentation). */
export function OmitType<T, K extends keyof T>(
  classRef: Type<T>,
  keys: readonly K[],
): Type<Omit<T, K>> {
  const kept = (key: string): boolean => !keys.includes(key as K);
  class OmitTypeClass {
    constructor() {
      inheritPropertyInitializers(this, classRef, kept);
    }
  }
  const suffix = keys.map((key) => String(key).replace(/^./, (c) => c.toUpperCase())).join('');
  Object.defineProperty(OmitTypeClass, 'name', { value: `Omit${classRef.name}${suffix}` });
  inheritValidationMetadata(classRef, OmitTypeClass, kept);
  inheritTransformationMetadata(classRef, OmitTypeClass, kept);
  documentLike(
    OmitTypeClass,
    classRef,
    documentedKeys(classRef.prototype as object).filter(kept),
    (metadata) => metadata,
  );
  return OmitTypeClass as Type<Omit<T, K>>;
}
