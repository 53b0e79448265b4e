import fc from 'fast-check';

/** The parts of an OpenAPI 3 schema the generators understand. */
export interface Schema {
  $ref?: string;
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
  nullable?: boolean;
  additionalProperties?: boolean | Schema;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  method: string;
  /** Fastify-style path, `:id`. */
  path: string;
  parameters: Parameter[];
  body?: Schema;
}

export interface OpenApi {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        requestBody?: { content: Record<string, { schema: Schema }> };
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
}

export function operationsOf(document: OpenApi): Operation[] {
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path: path.replace(/\{(\w+)\}/g, ':$1'),
      parameters: operation.parameters ?? [],
      body: operation.requestBody?.content['application/json']?.schema,
    })),
  );
}

/** Generators of valid-looking values for a schema (resolving `$ref`s in `document`). */
export class SchemaArbitraries {
  constructor(
    private readonly document: OpenApi,
    /** Real ids (objects the fuzzing user owns) mixed into every uuid field. */
    private readonly ids: readonly string[],
  ) {}

  resolve(schema: Schema): Schema {
    if (schema.$ref) {
      const name = schema.$ref.split('/').pop() ?? '';
      return this.resolve(this.document.components.schemas[name] ?? {});
    }
    if (schema.allOf) {
      return schema.allOf.reduce<Schema>(
        (merged, part) => {
          const resolved = this.resolve(part);
          return {
            ...merged,
            ...resolved,
            properties: { ...merged.properties, ...resolved.properties },
            required: [...(merged.required ?? []), ...(resolved.required ?? [])],
          };
        },
        { ...schema, allOf: undefined },
      );
    }
    return schema;
  }

  valid(input: Schema, depth = 0): fc.Arbitrary<unknown> {
    const schema = this.resolve(input);
    const base = this.validNotNull(schema, depth);
    return schema.nullable ? fc.oneof({ weight: 5, arbitrary: base }, fc.constant(null)) : base;
  }

  private validNotNull(schema: Schema, depth: number): fc.Arbitrary<unknown> {
    if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
    const variants = schema.oneOf ?? schema.anyOf;
    if (variants && variants.length > 0) {
      return fc.oneof(...variants.map((variant) => this.valid(variant, depth + 1)));
    }
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'string':
        return this.string(schema);
      case 'integer':
      case 'number':
        return fc.integer({
          min: Math.max(schema.minimum ?? -1000, -2_000_000_000),
          max: Math.min(schema.maximum ?? 100_000, 2_000_000_000),
        });
      case 'boolean':
        return fc.boolean();
      case 'array':
        return fc.array(this.valid(schema.items ?? {}, depth + 1), {
          minLength: schema.minItems ?? 0,
          maxLength: Math.min(schema.maxItems ?? 3, 3),
        });
      default:
        if (schema.properties && depth < 6) {
          const required = new Set(schema.required ?? []);
          const entries = Object.entries(schema.properties);
          return fc.record(
            Object.fromEntries(entries.map(([key, value]) => [key, this.valid(value, depth + 1)])),
            { requiredKeys: entries.map(([key]) => key).filter((key) => required.has(key)) },
          );
        }
        return fc.dictionary(fc.string({ maxLength: 8 }), jsonLeaf(), { maxKeys: 3 });
    }
  }

  private string(schema: Schema): fc.Arbitrary<string> {
    const minLength = schema.minLength ?? 0;
    const maxLength = Math.min(schema.maxLength ?? 40, 60);
    switch (schema.format) {
      case 'uuid':
        return this.ids.length > 0 ? fc.oneof(fc.constantFrom(...this.ids), fc.uuid()) : fc.uuid();
      case 'date':
        return fc
          .date({ min: new Date('1900-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
          .map((date) => date.toISOString().slice(0, 10));
      case 'date-time':
        return fc
          .date({ min: new Date('1970-01-01'), max: new Date('2100-12-31'), noInvalidDate: true })
          .map((date) => date.toISOString());
      case 'email':
        return fc.emailAddress();
      default: {
        const text = fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
        return typeof schema.example === 'string'
          ? fc.oneof(fc.constant(schema.example), text)
          : text;
      }
    }
  }
}

export function jsonLeaf(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
  );
}

/** Values of the wrong kind for any field. */
export function hostileValue(): fc.Arbitrary<unknown> {
  return fc.oneof(
    fc.constant(null),
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(''),
    fc.constant('x'.repeat(10_001)),
    fc.string({ unit: 'binary', maxLength: 30 }),
    fc.string({ unit: 'grapheme', maxLength: 30 }),
    fc.constant('\u0000'),
    fc.constant('nul\u0000inside'),
    fc.constant('\ud800 lone surrogate'),
    fc.constant("'; DROP TABLE users; --"),
    fc.constant('{"$gt":""}'),
    fc.constant(['a', 1, null]),
    fc.constant({ nested: { deeper: [1, 2, 3] } }),
    fc.constant(Number.MAX_SAFE_INTEGER),
    fc.constant(-1),
    fc.constant(1e308),
    fc.constant('2027-02-30'),
    fc.constant('9999-99-99T99:99:99Z'),
    fc.jsonValue({ maxDepth: 3 }),
  );
}

/** Path-parameter values: real ids, random uuids, and text that is no id at all. */
export function hostilePathValue(): fc.Arbitrary<string> {
  return fc.oneof(
    fc.uuid(),
    fc.constant('00000000-0000-0000-0000-000000000000'),
    fc.constant('not-a-uuid'),
    fc.constant('1'),
    fc.constant('-1'),
    fc.constant('%00'),
    fc.constant('%ff%fe'),
    fc.constant('..%2F..%2Fetc%2Fpasswd'),
    fc.constant('%E2%80%AE'),
    fc.constant('x'.repeat(190)),
    fc.constant('null'),
    fc.constant('__proto__'),
    fc.constant("1'%20OR%20'1'='1"),
    fc.string({ maxLength: 20 }).map((text) => encodeURIComponent(text) || 'empty'),
  );
}
