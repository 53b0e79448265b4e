import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags, ApiOperation } from '#libs/common/openapi/api-docs.js';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { Public, Roles } from '#libs/common/auth/decorators.js';
import { appOnlyEnums } from '#libs/common/enum-registry.js';

export interface ModelColumn {
  property: string;
  column: string;
  type: string;
  nullable: boolean;
  primary: boolean;
  enumName?: string;
  enumValues?: string[];
}

export interface ModelRelation {
  property: string;
  kind: string;
  target: string;
  joinColumns: string[];
  onDelete?: string;
}

export interface ModelDescription {
  entity: string;
  table: string;
  columns: ModelColumn[];
  relations: ModelRelation[];
}

/** The registry of the original's get_model/list_enums, built from code and ORM metadata. */
@ApiTags('platform')
@Controller('meta')
export class MetaController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @Public()
  @Get('enums')
  @ApiOperation({ summary: 'List every enum and its values' })
  enums(): Record<string, string[]> {
    const result: Record<string, string[]> = {};
    for (const entity of this.dataSource.entityMetadatas) {
      for (const column of entity.columns) {
        if (column.enum && column.enumName) {
          result[column.enumName] = column.enum.map(String);
        }
      }
    }
    for (const [name, values] of appOnlyEnums()) result[name] ??= [...values];
    return Object.fromEntries(Object.entries(result).sort(([a], [b]) => a.localeCompare(b)));
  }

  @ApiBearerAuth()
  @Roles('admin')
  @Get('models')
  @ApiOperation({ summary: 'Describe the data model' })
  models(): ModelDescription[] {
    return this.dataSource.entityMetadatas
      .map((entity) => ({
        entity: entity.name,
        table: entity.tableName,
        columns: entity.columns.map((column) => ({
          property: column.propertyPath,
          column: column.databaseName,
          type: typeof column.type === 'string' ? column.type : column.type.name.toLowerCase(),
          nullable: column.isNullable,
          primary: column.isPrimary,
          ...(column.enum
            ? { enumName: column.enumName, enumValues: column.enum.map(String) }
            : {}),
        })),
        relations: entity.relations.map((relation) => ({
          property: relation.propertyPath,
          kind: relation.relationType,
          target: relation.inverseEntityMetadata.name,
          joinColumns: relation.joinColumns.map((column) => column.databaseName),
          ...(relation.onDelete ? { onDelete: relation.onDelete } : {}),
        })),
      }))
      .sort((a, b) => a.table.localeCompare(b.table));
  }
}
