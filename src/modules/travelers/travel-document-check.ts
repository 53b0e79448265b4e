import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TravelersRepository } from './travelers.repository.js';

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

/**
 * Answers from `traveler_documents`: a passport or national id that staff have not rejected and
 * whose expiry date is on or after the travel date (no expiry date counts as valid). Passports
 * win over national ids, then the latest expiry. Owner-scoped through the travelers join.
 */
@Injectable()
export class TravelerDocumentCheck implements TravelDocumentCheck {
  constructor(private readonly travelers: TravelersRepository) {}

  async validDocumentsOn(
    userId: string,
    travelerIds: readonly string[],
    date: string,
    manager?: EntityManager,
  ): Promise<Map<string, ValidTravelDocument | null>> {
    const result = new Map<string, ValidTravelDocument | null>(travelerIds.map((id) => [id, null]));
    if (travelerIds.length === 0) return result;
    const documents = await this.on(manager).identityDocumentsValidOn(userId, travelerIds, date);
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
    manager?: EntityManager,
  ): Promise<string[]> {
    if (travelerIds.length === 0) return [];
    return this.on(manager).travelersWithoutValidVisa(
      userId,
      travelerIds,
      country,
      startDate,
      endDate,
    );
  }

  private on(manager: EntityManager | undefined): TravelersRepository {
    return manager ? this.travelers.withManager(manager) : this.travelers;
  }
}
