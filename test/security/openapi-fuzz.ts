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
  /** The operation takes `multipart/form-data` (file uploads): see `multipartBodies`. */
  multipart?: boolean;
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
      multipart: operation.requestBody?.content['multipart/form-data'] !== undefined,
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

/** 1×1 PNG: a body that can succeed (the upload routes accept it). */
const TINY_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * Multipart bodies for upload routes. `valid`: field `side` then part `file` (a real PNG or
 * random bytes). Hostile: unknown sides, parts out of order or repeated, other names, empty or
 * random files, a body cut short, a boundary that does not match the header.
 */
export function multipartBodies(valid: boolean): fc.Arbitrary<{ payload: Buffer; type: string }> {
  const part = (boundary: string, name: string, value: Buffer, file: boolean): Buffer =>
    Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename="f.bin"\r\nContent-Type: application/octet-stream' : ''}\r\n\r\n`,
      ),
      value,
      Buffer.from('\r\n'),
    ]);
  const file = fc.oneof(
    fc.constant(TINY_PNG),
    fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
    fc.constant(Buffer.alloc(0)),
    fc.constant(Buffer.from('%PDF-1.4\n/JS (x)\n%%EOF')),
  );
  const side = valid
    ? fc.constantFrom('front', 'back', 'other')
    : fc.oneof(
        fc.constantFrom('front', 'back', 'other', '', 'FRONT'),
        fc.string({ maxLength: 300 }),
      );
  return fc
    .record({
      side,
      file: valid ? fc.constant(TINY_PNG) : file,
      layout: valid
        ? fc.constant('ok')
        : fc.constantFrom(
            'ok',
            'file-first',
            'two-files',
            'no-side',
            'no-file',
            'renamed',
            'extra',
          ),
      cut: valid ? fc.constant(0) : fc.nat(40),
      wrongBoundary: valid ? fc.constant(false) : fc.boolean(),
    })
    .map(({ side: sideValue, file: bytes, layout, cut, wrongBoundary }) => {
      const boundary = 'fuzz-boundary-7e3';
      const sidePart = part(boundary, 'side', Buffer.from(sideValue), false);
      const filePart = part(boundary, layout === 'renamed' ? 'scan' : 'file', bytes, true);
      const parts =
        layout === 'file-first'
          ? [filePart, sidePart]
          : layout === 'two-files'
            ? [sidePart, filePart, filePart]
            : layout === 'no-side'
              ? [filePart]
              : layout === 'no-file'
                ? [sidePart]
                : layout === 'extra'
                  ? [sidePart, filePart, part(boundary, 'note', Buffer.from('x'), false)]
                  : [sidePart, filePart];
      let payload = Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]);
      if (cut > 0) payload = payload.subarray(0, Math.max(0, payload.length - cut * 7));
      return {
        payload,
        type: `multipart/form-data; boundary=${wrongBoundary ? 'other-boundary' : boundary}`,
      };
    });
}
