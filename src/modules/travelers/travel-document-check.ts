import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** A travel document as a booking may keep it: type, country, masked number, expiry. */
export interface ValidTravelDocument {
  documentType: string;
  issuingCountry: string | null;
  /** Never the full number (e.g. `•••••1234`). */
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
}

export const TRAVEL_DOCUMENT_CHECK = Symbol('TRAVEL_DOCUMENT_CHECK');

/**
 * TO BE COMPLETED when traveler documents land (branch `profiles`): answer from the traveler
 * documents table (status not rejected, expiry ≥ date), masking the number.
 *
 * Until then no traveler can hold a document, so the only true answer is "none" for everyone,
 * and flight bookings are refused with 422 TRAVELER_DOCUMENT_REQUIRED.
 */
@Injectable()
export class TravelerDocumentCheck implements TravelDocumentCheck {
  validDocumentsOn(
    _userId: string,
    travelerIds: readonly string[],
  ): Promise<Map<string, ValidTravelDocument | null>> {
    return Promise.resolve(new Map(travelerIds.map((id) => [id, null])));
  }
}
