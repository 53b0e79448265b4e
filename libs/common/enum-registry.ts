/**
 * Vocabularies that are not database enums (roles, consent purposes held as text, …) register
 * here so `/meta/enums` lists them next to the enums read from ORM metadata.
 */
const registry = new Map<string, readonly string[]>();

export function registerEnum(name: string, values: readonly string[]): readonly string[] {
  registry.set(name, values);
  return values;
}

export function registeredEnums(): ReadonlyMap<string, readonly string[]> {
  return registry;
}
