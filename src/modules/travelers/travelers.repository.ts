import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { GuardianRelationship, TravelerStatus } from './traveler.entity.js';
import { TravelerDocumentEntity } from './traveler-document.entity.js';
import { TravelerPreferencesEntity } from './traveler-preferences.entity.js';
import { TravelerEntity } from './traveler.entity.js';
import { ManagedRepository } from '#libs/database/managed-repository.js';

/** The columns a traveler row may be written with (the rest are database defaults). */
export type TravelerValues = Partial<
  Omit<TravelerEntity, 'id' | 'userId' | 'user' | 'version' | 'createdAt' | 'updatedAt'>
>;

/** Every column of a traveler's preferences but its key and timestamps (PUT replaces them all). */
export type TravelerPreferencesValues = Omit<
  TravelerPreferencesEntity,
  'travelerId' | 'traveler' | 'createdAt' | 'updatedAt'
>;

/** Documents that can carry a traveler across a border (a visa alone cannot). */
const IDENTITY_DOCUMENT_TYPES = ['passport', 'national_id'] as const;
/** Statuses a document may have and still count: not refused by staff, not already expired. */
const USABLE_STATUSES = ['pending', 'in_review', 'verified'] as const;

/**
 * The SQL of travelers, their preferences and the document checks bookings ask for. Every read
 * of a user's traveler takes the owner id: another user's traveler is simply not found. The
 * preferences are reached through their traveler, which the caller has already found as the
 * owner's. The rules (archived, versions, bookability) live in TravelersService.
 *
 * Built on an EntityManager like BookingsRepository: `withManager` runs it on a transaction's
 * connection, `transaction` hands the work a copy bound to a new transaction.
 */
@Injectable()
export class TravelersRepository extends ManagedRepository {
  constructor(@InjectEntityManager() manager: EntityManager) {
    super(manager);
  }

  private get travelers() {
    return this.manager.getRepository(TravelerEntity);
  }

  /** Inserts an active traveler for the owner; answers its id. */
  async insert(userId: string, values: TravelerValues): Promise<string> {
    const saved = await this.travelers.save(
      this.travelers.create({ ...values, userId, status: 'active' }),
    );
    return saved.id;
  }

  findOwned(userId: string, travelerId: string): Promise<TravelerEntity | null> {
    return this.travelers.findOneBy({ id: travelerId, userId });
  }

  /** The owner's travelers among `travelerIds` (others are absent), in no particular order. */
  findManyOwned(userId: string, travelerIds: readonly string[]): Promise<TravelerEntity[]> {
    return this.travelers
      .createQueryBuilder('traveler')
      .where('traveler.user_id = :userId AND traveler.id IN (:...ids)', {
        userId,
        ids: travelerIds,
      })
      .getMany();
  }

  /** The list query (owner, status; not archived unless asked); keysetPage orders and limits it. */
  listQuery(userId: string, status?: TravelerStatus): SelectQueryBuilder<TravelerEntity> {
    const builder = this.travelers
      .createQueryBuilder('traveler')
      .where('traveler.user_id = :userId', { userId });
    if (status) builder.andWhere('traveler.status = :status', { status });
    else builder.andWhere("traveler.status <> 'archived'");
    return builder;
  }

  /**
   * Compare-and-set on the version: writes `values`, bumps the version; false when the version
   * moved (or the traveler is not the owner's).
   */
  async updateIfVersion(
    userId: string,
    travelerId: string,
    expectedVersion: number,
    values: TravelerValues,
  ): Promise<boolean> {
    const result = await this.travelers
      .createQueryBuilder()
      .update(TravelerEntity)
      .set({ ...values, version: () => 'version + 1' })
      .where('id = :travelerId AND user_id = :userId AND version = :version', {
        travelerId,
        userId,
        version: expectedVersion,
      })
      .execute();
    return result.affected !== 0;
  }

  /** Archives the owner's traveler (no longer primary); archiving twice changes nothing. */
  async archive(userId: string, travelerId: string): Promise<void> {
    await this.travelers
      .createQueryBuilder()
      .update(TravelerEntity)
      .set({ status: 'archived', isPrimary: false, version: () => 'version + 1' })
      .where("id = :travelerId AND user_id = :userId AND status <> 'archived'", {
        travelerId,
        userId,
      })
      .execute();
  }

  /** Names the guardian who decided on the owner's traveler's consent. */
  async setGuardian(
    userId: string,
    travelerId: string,
    guardianName: string,
    relationship: GuardianRelationship,
  ): Promise<void> {
    await this.travelers.update(
      { id: travelerId, userId },
      { guardianName, guardianRelationship: relationship },
    );
  }

  /** The account holder of each traveler among `travelerIds` (any user's: staff reads only). */
  async ownersOf(travelerIds: readonly string[]): Promise<Map<string, string>> {
    if (travelerIds.length === 0) return new Map();
    const travelers = await this.travelers
      .createQueryBuilder('traveler')
      .select(['traveler.id', 'traveler.userId'])
      .where('traveler.id IN (:...ids)', { ids: [...new Set(travelerIds)] })
      .getMany();
    return new Map(travelers.map((traveler) => [traveler.id, traveler.userId]));
  }

  // ---- preferences (of a traveler the caller found as the owner's) ----

  findPreferences(travelerId: string): Promise<TravelerPreferencesEntity | null> {
    return this.manager.getRepository(TravelerPreferencesEntity).findOneBy({ travelerId });
  }

  async replacePreferences(
    travelerId: string,
    values: TravelerPreferencesValues,
  ): Promise<TravelerPreferencesEntity | null> {
    const repository = this.manager.getRepository(TravelerPreferencesEntity);
    await repository.upsert({ travelerId, ...values }, ['travelerId']);
    return repository.findOneBy({ travelerId });
  }

  // ---- documents bookings check ----

  /**
   * The owner's travelers' passports and national ids that staff have not rejected and whose
   * expiry is on or after `date` (none counts as valid): per traveler, passports first, then the
   * latest expiry.
   */
  identityDocumentsValidOn(
    userId: string,
    travelerIds: readonly string[],
    date: string,
  ): Promise<TravelerDocumentEntity[]> {
    return this.manager
      .getRepository(TravelerDocumentEntity)
      .createQueryBuilder('document')
      .innerJoin('document.traveler', 'traveler', 'traveler.user_id = :userId', { userId })
      .where('document.traveler_id IN (:...travelerIds)', {
        travelerIds: [...new Set(travelerIds)],
      })
      .andWhere('document.document_type IN (:...types)', { types: IDENTITY_DOCUMENT_TYPES })
      .andWhere('document.status IN (:...statuses)', { statuses: USABLE_STATUSES })
      .andWhere('(document.expiry_date IS NULL OR document.expiry_date >= :date)', { date })
      .orderBy('document.traveler_id')
      .addOrderBy(`CASE document.document_type WHEN 'passport' THEN 0 ELSE 1 END`)
      .addOrderBy('document.expiry_date', 'DESC', 'NULLS FIRST')
      .getMany();
  }

  /**
   * The owner's travelers (of `travelerIds`) with a visa for `country` recorded but none usable
   * from `startDate` through `endDate` (validFrom on or before the start, expiry on or after the
   * end).
   */
  async travelersWithoutValidVisa(
    userId: string,
    travelerIds: readonly string[],
    country: string,
    startDate: string,
    endDate: string,
  ): Promise<string[]> {
    const rows = await this.manager
      .getRepository(TravelerDocumentEntity)
      .createQueryBuilder('document')
      .select('document.traveler_id', 'travelerId')
      .innerJoin('document.traveler', 'traveler', 'traveler.user_id = :userId', { userId })
      .where('document.traveler_id IN (:...travelerIds)', {
        travelerIds: [...new Set(travelerIds)],
      })
      .andWhere("document.document_type = 'visa' AND document.visa_country = :country", {
        country,
      })
      .groupBy('document.traveler_id')
      .having(
        `NOT bool_or(document.status IN (:...statuses) AND document.valid_from <= :startDate
           AND (document.expiry_date IS NULL OR document.expiry_date >= :endDate))`,
        { statuses: USABLE_STATUSES, startDate, endDate },
      )
      .getRawMany<{ travelerId: string }>();
    return rows.map((row) => row.travelerId);
  }
}
