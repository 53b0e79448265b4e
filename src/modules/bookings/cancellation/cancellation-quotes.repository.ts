import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import { type EntityManager, IsNull } from 'typeorm';
import { CancellationQuoteEntity } from '../entities/cancellation-quote.entity.js';
import { ManagedRepository } from '#libs/database/managed-repository.js';

export type NewCancellationQuote = Pick<
  CancellationQuoteEntity,
  | 'bookingId'
  | 'bookingVersion'
  | 'refundAmountMinor'
  | 'penaltyAmountMinor'
  | 'currency'
  | 'expiresAt'
>;

/** A claim (quote marked used) never recorded: what reconciliation settles. */
export interface StaleClaim {
  quoteId: string;
  bookingId: string;
  usedAt: Date;
}

/**
 * The SQL of cancellation quotes. Quotes are reached through their booking, which the caller has
 * already found as the owner's (or, for reconciliation, locked by id). Bound to an EntityManager
 * like BookingsRepository: `withManager` runs it on a transaction's connection.
 */
@Injectable()
export class CancellationQuotesRepository extends ManagedRepository {
  constructor(@InjectEntityManager() manager: EntityManager) {
    super(manager);
  }

  insert(values: NewCancellationQuote): Promise<CancellationQuoteEntity> {
    return this.manager.getRepository(CancellationQuoteEntity).save(values);
  }

  findForBooking(quoteId: string, bookingId: string): Promise<CancellationQuoteEntity | null> {
    return this.manager
      .getRepository(CancellationQuoteEntity)
      .findOneBy({ id: quoteId, bookingId });
  }

  findById(quoteId: string): Promise<CancellationQuoteEntity | null> {
    return this.manager.getRepository(CancellationQuoteEntity).findOneBy({ id: quoteId });
  }

  /** Marks the quote used (the recorded intent of a cancel). */
  async claim(quoteId: string, claimedAt: Date): Promise<void> {
    await this.manager
      .getRepository(CancellationQuoteEntity)
      .update({ id: quoteId }, { usedAt: claimedAt });
  }

  /** Frees the quote claimed at `claimedAt` (the provider refused: nothing was cancelled). */
  async release(quoteId: string, claimedAt: Date): Promise<void> {
    await this.manager
      .getRepository(CancellationQuoteEntity)
      .update({ id: quoteId, usedAt: claimedAt }, { usedAt: null });
  }

  /** Moves an unrecorded claim made at `claimedAt` back to `usedAt` (past its lease). */
  async age(quoteId: string, claimedAt: Date, usedAt: Date): Promise<void> {
    await this.manager
      .getRepository(CancellationQuoteEntity)
      .update({ id: quoteId, usedAt: claimedAt, recordedAt: IsNull() }, { usedAt });
  }

  async markRecorded(quoteId: string): Promise<void> {
    await this.manager
      .getRepository(CancellationQuoteEntity)
      .update({ id: quoteId }, { recordedAt: new Date() });
  }

  /** Whether a quote of the booking was claimed after `cutoff` (its cancel may be running). */
  claimedSince(bookingId: string, cutoff: Date): Promise<boolean> {
    return this.manager
      .getRepository(CancellationQuoteEntity)
      .createQueryBuilder('quote')
      .where('quote.booking_id = :bookingId AND quote.used_at > :cutoff', { bookingId, cutoff })
      .getExists();
  }

  /**
   * The newest unrecorded claim per booking, claimed at or before `cutoff`, on a booking still
   * cancellable; one booking's only when `bookingId` is given.
   */
  staleClaims(cutoff: Date, bookingId: string | undefined, limit: number): Promise<StaleClaim[]> {
    return this.manager.query(
      `SELECT DISTINCT ON (q."booking_id") q."id" AS "quoteId", q."booking_id" AS "bookingId", q."used_at" AS "usedAt"
         FROM "booking_cancellation_quotes" q
         JOIN "bookings" b ON b."id" = q."booking_id"
        WHERE q."used_at" IS NOT NULL AND q."recorded_at" IS NULL AND q."used_at" <= $1
          AND b."status" IN ('pending', 'confirmed') AND ($2::uuid IS NULL OR q."booking_id" = $2)
        ORDER BY q."booking_id", q."used_at" DESC
        LIMIT $3`,
      [cutoff, bookingId ?? null, limit],
    ) as Promise<StaleClaim[]>;
  }

  /** Frees every unrecorded claim of the booking made at or before `cutoff`. */
  async releaseStale(bookingId: string, cutoff: Date): Promise<void> {
    await this.manager
      .getRepository(CancellationQuoteEntity)
      .createQueryBuilder()
      .update()
      .set({ usedAt: null })
      .where('booking_id = :id AND recorded_at IS NULL AND used_at <= :cutoff', {
        id: bookingId,
        cutoff,
      })
      .execute();
  }
}
