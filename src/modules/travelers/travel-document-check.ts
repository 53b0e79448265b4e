import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource, EntityManager } from 'typeorm';
import { TravelerDocumentEntity } from './traveler-document.entity.js';

/** A travel document as a booking may keep it: type, country, masked number, expiry. */
export interface ValidTravelDocument {
  documentType: string;
  issuingCountry: string | null;
  /** Never the full number (e.g. `••••1234`). */
  numberMasked: string;
  expiresOn: string | null;
}

/**
 * Which travelers hold a travel document that is still valid on a date. Bookings asks this for
 * flights (every traveler needs one) and to snapshot the masked document on any booking.
 */
export interface TravelDocumentCheck {
  /**
   * For each traveler id (all the user's, already checked by the caller): a document valid on
   * `date` (expiry on or after it), or null when there is none.
   */
  validDocumentsOn(
    userId: string,
    travelerIds: readonly string[],
    date: string,
    manager?: EntityManager,
  ): Promise<Map<string, ValidTravelDocument | null>>;

  /**
   * The travelers (of `travelerIds`, all the user's) who have a visa recorded for `country` but
   * none valid from `startDate` through `endDate` (not rejected, validFrom on or before the start,
   * expiry on or after the end). Travelers with no visa for that country are not listed: which
   * visas a trip needs is not ours to decide.
   */
  travelersWithoutValidVisa(
    userId: string,
    travelerIds: readonly string[],
    country: string,
    startDate: string,
    endDate: string,
    manager?: EntityManager,
  ): Promise<string[]>;
}

export const TRAVEL_DOCUMENT_CHECK = Symbol('TRAVEL_DOCUMENT_CHECK');

/** Documents that can carry a traveler across a border (a visa alone cannot). */
const IDENTITY_DOCUMENT_TYPES = ['passport', 'national_id'] as const;
/** Statuses a document may have and still count: not refused by staff, not already expired. */
const USABLE_STATUSES = ['pending', 'in_review', 'verified'] as const;

/**
 * Answers from `traveler_documents`: a passport or national id that staff have not rejected and
 * whose expiry date is on or after the travel date (no expiry date counts as valid). Passports
 * win over national ids, then the latest expiry. Owner-scoped through the travelers join.
 */
@Injectable()
export class TravelerDocumentCheck implements TravelDocumentCheck {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async validDocumentsOn(
    userId: string,
    travelerIds: readonly string[],
    date: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<Map<string, ValidTravelDocument | null>> {
    const result = new Map<string, ValidTravelDocument | null>(travelerIds.map((id) => [id, null]));
    if (travelerIds.length === 0) return result;
    const documents = await manager
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
    for (const document of documents) {
      if (result.get(document.travelerId)) continue; // the first per traveler is the best
      result.set(document.travelerId, {
        documentType: document.documentType,
        issuingCountry: document.issuingCountry,
        numberMasked: document.numberMasked,
        expiresOn: document.expiryDate,
      });
    }
    return result;
  }

  async travelersWithoutValidVisa(
    userId: string,
    travelerIds: readonly string[],
    country: string,
    startDate: string,
    endDate: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<string[]> {
    if (travelerIds.length === 0) return [];
    const rows = await manager
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
