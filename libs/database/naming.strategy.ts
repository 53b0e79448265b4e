import { createHash } from 'node:crypto';
import { DefaultNamingStrategy, type NamingStrategyInterface, type Table } from 'typeorm';

const MAX_IDENTIFIER = 63;

export function snakeCase(value: string): string {
  return value
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

function bareTableName(tableOrName: Table | string): string {
  const name = typeof tableOrName === 'string' ? tableOrName : tableOrName.name;
  return name.split('.').pop() as string;
}

/** Keeps names within PostgreSQL's 63-byte limit, deterministically. */
function fit(name: string): string {
  if (name.length <= MAX_IDENTIFIER) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${name.slice(0, MAX_IDENTIFIER - 9)}_${hash}`;
}

/**
 * snake_case tables and columns, and readable constraint names derived from table and columns
 * (`pk_users`, `fk_bookings_user_id`, `uq_users_email`, `idx_sessions_user_id_status`), so that
 * migrations read well and the error filter can map violations to codes by name.
 * An explicit name on a decorator always wins.
 */
export class SnakeNamingStrategy extends DefaultNamingStrategy implements NamingStrategyInterface {
  override tableName(targetName: string, userSpecifiedName: string | undefined): string {
    return userSpecifiedName ?? snakeCase(targetName.replace(/Entity$/, ''));
  }

  override columnName(
    propertyName: string,
    customName: string | undefined,
    embeddedPrefixes: string[],
  ): string {
    const prefix = embeddedPrefixes.map(snakeCase).join('_');
    const column = customName ?? snakeCase(propertyName);
    return prefix ? `${prefix}_${column}` : column;
  }

  override relationName(propertyName: string): string {
    return snakeCase(propertyName);
  }

  override joinColumnName(relationName: string, referencedColumnName: string): string {
    return snakeCase(`${relationName}_${referencedColumnName}`);
  }

  override joinTableName(firstTableName: string, secondTableName: string): string {
    return `${firstTableName}_${secondTableName}`;
  }

  override primaryKeyName(tableOrName: Table | string): string {
    return fit(`pk_${bareTableName(tableOrName)}`);
  }

  override foreignKeyName(tableOrName: Table | string, columnNames: string[]): string {
    return fit(`fk_${bareTableName(tableOrName)}_${columnNames.join('_')}`);
  }

  override uniqueConstraintName(tableOrName: Table | string, columnNames: string[]): string {
    return fit(`uq_${bareTableName(tableOrName)}_${columnNames.join('_')}`);
  }

  override relationConstraintName(tableOrName: Table | string, columnNames: string[]): string {
    return fit(`rel_${bareTableName(tableOrName)}_${columnNames.join('_')}`);
  }

  override indexName(tableOrName: Table | string, columnNames: string[], where?: string): string {
    const suffix = where ? `_${createHash('sha256').update(where).digest('hex').slice(0, 6)}` : '';
    return fit(`idx_${bareTableName(tableOrName)}_${columnNames.join('_')}${suffix}`);
  }

  override checkConstraintName(
    tableOrName: Table | string,
    expression: string,
    isEnum?: boolean,
  ): string {
    const hash = createHash('sha256').update(expression).digest('hex').slice(0, 8);
    return fit(`${isEnum ? 'enum' : 'chk'}_${bareTableName(tableOrName)}_${hash}`);
  }

  override defaultConstraintName(tableOrName: Table | string, columnName: string): string {
    return fit(`df_${bareTableName(tableOrName)}_${columnName}`);
  }

  override exclusionConstraintName(tableOrName: Table | string, expression: string): string {
    const hash = createHash('sha256').update(expression).digest('hex').slice(0, 8);
    return fit(`xc_${bareTableName(tableOrName)}_${hash}`);
  }
}
