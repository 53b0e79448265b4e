/**
 * `/meta/enums` lists every database enum (read from the ORM metadata, which the migration drift
 * test keeps equal to the database) plus the app-only vocabularies registered here: values the
 * API validates but the database stores as text, `text[]` or JSONB (roles, message roles,
 * dietary needs, …) or under a table-prefixed enum type (`travel_frequency` is stored as
 * `user_profile_travel_frequency`). A name registered here must not be a database enum:
 * `test/e2e/meta-enums.e2e-spec.ts` checks both halves against `pg_enum`.
 */
const registry = new Map<string, readonly string[]>();

export function registerAppOnlyEnum(name: string, values: readonly string[]): readonly string[] {
  registry.set(name, values);
  return values;
}

export function appOnlyEnums(): ReadonlyMap<string, readonly string[]> {
  return registry;
}
