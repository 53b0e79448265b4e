/** A JSON value as it comes out of JSON.parse. */
export type JsonValue = null | boolean | number | string | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * RFC 7396 JSON Merge Patch, exactly the algorithm of section 2: objects merge recursively,
 * `null` removes a member, anything else (arrays included) replaces. Pure: neither argument is
 * modified. Keys are copied with defineProperty semantics (a `__proto__` key is plain data).
 */
export function applyMergePatch(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isJsonObject(patch)) return patch;
  const result: JsonObject = Object.create(null) as JsonObject;
  if (isJsonObject(target)) {
    for (const key of Object.keys(target)) {
      define(result, key, target[key] as JsonValue);
    }
  }
  for (const key of Object.keys(patch)) {
    const value = patch[key] as JsonValue;
    if (value === null) {
      delete result[key];
    } else {
      define(result, key, applyMergePatch(result[key], value));
    }
  }
  return toPlain(result);
}

function define(object: JsonObject, key: string, value: JsonValue): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Back to an ordinary object (so deep-equality and JSON.stringify behave as usual). */
function toPlain(object: JsonObject): JsonObject {
  const plain: JsonObject = {};
  for (const key of Object.keys(object)) define(plain, key, object[key] as JsonValue);
  return plain;
}
