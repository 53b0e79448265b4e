import { DiscoveryService } from '@nestjs/core';
import type { EntityManager } from 'typeorm';

/**
 * Data-subject rights by inversion (CONVENTIONS.md "Which way dependencies point"): every module
 * that holds personal data registers ONE provider implementing `PersonalDataContributor` and
 * decorated with `@PersonalDataContributor({ key, order })`. The privacy service (compliance)
 * discovers them with Nest's DiscoveryService and walks them for export, erasure and retention;
 * compliance imports no data module.
 *
 * A table that holds personal data must be claimed by some contributor's `describe()` (or be in
 * the reviewed allow-list of tables without personal data); a test fails otherwise.
 */

/** What erasure does to a category: delete the rows, or keep them under the pseudonym. */
export type ErasureAction = 'delete' | 'pseudonymise';

/**
 * The record of processing (GDPR Art. 30(1)) for one category: why it is processed, on which
 * legal basis, how long it is kept, and who receives it. `GET /compliance/processing-activities`
 * is built from these; a test fails when a category declares none.
 */
export interface ProcessingDeclaration {
  purpose: string;
  /** E.g. `GDPR Art. 6(1)(b): performance of a contract`. */
  legalBasis: string;
  /** How long it is kept, in words (name the retention policy where one applies). */
  retention: string;
  /** Recipients outside the controller's staff (processors, third parties); may be empty. */
  recipients: readonly string[];
}

/** One category of personal data a module holds about a user. */
export interface PersonalDataCategory {
  /** Stable key, `<module>.<thing>`: `auth.account`, `sessions.sessions`, `bookings.bookings`. */
  category: string;
  /** What is held, in plain words (shown in the erasure preview). */
  description: string;
  /** The database tables holding it (the coverage test checks every table is claimed). */
  tables: readonly string[];
  erasure: ErasureAction;
  /**
   * For `pseudonymise`: the retention policy (`RETENTION_POLICIES` category) that says how long
   * the pseudonymised rows are kept and why. Required when `erasure` is `pseudonymise`.
   */
  retentionPolicy?: string;
  /** The Art. 30 record of this category (required: the processing-activities test checks it). */
  processing?: ProcessingDeclaration;
}

export interface PersonalDataDescription {
  categories: readonly PersonalDataCategory[];
}

/** A JSON-serialisable value (JSON.stringify) written into the export document. */
export type ExportValue = unknown;

/**
 * Where `export()` writes. Each call adds one member to the contributor's object in the export
 * document; `rows()` writes an array element by element (awaiting back-pressure), so a contributor
 * can page through its tables and never hold everything in memory. Section names are unique per
 * contributor.
 */
export interface PersonalDataSink {
  /** `"<section>": <value>` */
  value(section: string, value: ExportValue): Promise<void>;
  /** `"<section>": [row, row, …]`, consumed lazily from a (async) iterable. */
  rows(section: string, rows: AsyncIterable<ExportValue> | Iterable<ExportValue>): Promise<void>;
}

/** What one contributor did during erasure, per category it described. */
export interface ErasureCount {
  category: string;
  /** Rows deleted (or, for `pseudonymise`, rows kept under the pseudonym). */
  rows: number;
}

/** The caller's re-authentication for `DELETE /me`. */
export interface IdentityProof {
  password?: string;
  /** Seconds since epoch when the caller's access token was issued. */
  tokenIssuedAt: number;
}

export interface PersonalDataContributor {
  /** The categories held, what is held, and what erasure does to them. Pure; no I/O. */
  describe(): PersonalDataDescription;
  /** Writes everything held about `userId` to `sink` (nothing about anyone else). */
  export(userId: string, sink: PersonalDataSink): Promise<void>;
  /**
   * Deletes or pseudonymises everything held about `userId`, using ONLY `manager` (one
   * transaction opened by the privacy service, shared by all contributors; it is rolled back for
   * the preview, so no side effect outside it). `pseudonym` is the stable uuid that replaces the
   * user's id where records are kept. Returns one count per described category.
   */
  erase(userId: string, manager: EntityManager, pseudonym: string): Promise<ErasureCount[]>;
  /**
   * Implemented by the module that holds credentials (auth): throws a problem when `proof` does
   * not re-authenticate `userId`. Erasure is refused when no contributor implements it.
   */
  confirmIdentity?(userId: string, proof: IdentityProof): Promise<void>;
  /** Purge tasks for data past retention (most are `deleteInBatchesTask`, retention-task.ts). */
  retentionTasks?(): readonly RetentionTask[];
  /**
   * For a module whose kept rows still reference an erased account (a RESTRICT foreign key on
   * `users`, e.g. bookings kept for the legal period): a SQL condition, true while this module's
   * rows reference the account whose id is the SQL expression `userId`. The module that owns the
   * accounts (auth) purges an erased account's empty row once no contributor's condition holds;
   * so it never reads another module's tables.
   */
  referencesAccountSql?(userId: string): string;
}

/**
 * One batched purge of a module's data past retention. `category` must name a retention policy
 * (`RETENTION_POLICIES`); the run fails when it does not. `cutoff` = now − the policy's period.
 */
export interface RetentionTask {
  category: string;
  /** Rows that `purgeBatch` would remove now (the dry run). */
  count(manager: EntityManager, cutoff: Date): Promise<number>;
  /** Removes at most `batchSize` rows past `cutoff`; returns how many. Called until it returns 0. */
  purgeBatch(manager: EntityManager, cutoff: Date, batchSize: number): Promise<number>;
}

export interface PersonalDataContributorOptions {
  /** Name of the contributor's object in the export document: `auth`, `sessions`, … */
  key: string;
  /**
   * Erasure order, ascending: records that reference others go first (bookings before
   * travelers), the account last (auth: 1000). Default 100.
   */
  order?: number;
}

/** Class decorator: registers the provider for discovery by the privacy service. */
export const PersonalDataContributor =
  DiscoveryService.createDecorator<PersonalDataContributorOptions>();
