import { Injectable } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { EntityManager, SelectQueryBuilder } from 'typeorm';
import type { BookingStatus, BookingType, PaymentStatus } from './booking-states.js';
import type { BookingDetailsEntity } from './bookings.mappers.js';
import { BookingEventEntity } from './entities/booking-event.entity.js';
import { ActivityBookingEntity } from './entities/activity-booking.entity.js';
import { BookingLedgerEntryEntity } from './entities/booking-ledger-entry.entity.js';
import { BookingTravelerEntity } from './entities/booking-traveler.entity.js';
import { BookingEntity } from './entities/booking.entity.js';
import { FlightBookingEntity } from './entities/flight-booking.entity.js';
import { HotelBookingEntity } from './entities/hotel-booking.entity.js';
import { SessionBookingEntity } from './entities/session-booking.entity.js';
import { ManagedRepository } from '#libs/database/managed-repository.js';

/** What the ledger holds for a booking, per kind (minor units). */
export interface LedgerSums {
  charge: number;
  refund: number;
  penalty: number;
}

/** The columns a new booking row is written with (the rest are database defaults). */
export type NewBooking = Pick<
  BookingEntity,
  | 'userId'
  | 'reference'
  | 'bookingType'
  | 'status'
  | 'paymentStatus'
  | 'provider'
  | 'providerReference'
  | 'confirmationCode'
  | 'currency'
  | 'totalAmountMinor'
  | 'baseAmountMinor'
  | 'taxesAmountMinor'
  | 'feesAmountMinor'
  | 'travelStartDate'
  | 'travelEndDate'
  | 'cancellationPolicy'
  | 'providerResponse'
  | 'sessionId'
  | 'savedItemId'
  | 'bookedAt'
  | 'bookingDeadline'
  | 'freeCancellationUntil'
>;

type Insert<T> = Omit<T, 'createdAt' | 'updatedAt' | 'booking'>;
export type NewFlightDetails = Omit<Insert<FlightBookingEntity>, 'pnr'>;
export type NewHotelDetails = Insert<HotelBookingEntity>;
export type NewActivityDetails = Insert<ActivityBookingEntity>;
export type NewBookingTraveler = Omit<Insert<BookingTravelerEntity>, 'id' | 'traveler'>;
export type NewLedgerEntry = Pick<
  BookingLedgerEntryEntity,
  'bookingId' | 'kind' | 'amountMinor' | 'currency' | 'description' | 'providerReference'
>;

/** A timeline row to append. */
export type NewBookingEvent = Pick<BookingEventEntity, 'bookingId' | 'type' | 'source'> & {
  data?: Record<string, unknown>;
};

/** The state columns a lifecycle change (provider event, sync, expiry, completion) may write. */
export type BookingStateChange = Partial<
  Pick<
    BookingEntity,
    | 'status'
    | 'paymentStatus'
    | 'confirmationCode'
    | 'bookedAt'
    | 'cancelledAt'
    | 'cancellationReference'
    | 'version'
  >
>;

/** What a recorded cancellation changes on the booking row. */
export interface CancelledBooking {
  status: BookingStatus;
  paymentStatus: PaymentStatus;
  cancelledAt: Date;
  cancellationReference: string | null;
  version: number;
  /** The provider's answer to the cancel, kept under `cancellation` in `providerResponse`. */
  cancellationResponse: Record<string, unknown>;
}

export interface OwnerListFilters {
  status?: BookingStatus;
  type?: BookingType;
  from?: string;
  to?: string;
}

export interface AdminListFilters {
  userId?: string;
  status?: BookingStatus;
  /** Upper-case, as stored (served by `uq_bookings_reference`). */
  reference?: string;
  confirmationCode?: string;
}

const DETAILS_ENTITY = {
  flight: FlightBookingEntity,
  hotel: HotelBookingEntity,
  activity: ActivityBookingEntity,
} as const;

/**
 * The SQL of bookings, their details, travelers, ledger and session links. Every read of a
 * user's booking takes the owner id (`…ForOwner`): another user's booking is simply not found.
 * The few unscoped reads (`…ById`, the admin list) serve the support desk and reconciliation.
 *
 * Built on an EntityManager: the injected one runs each statement on its own; `transaction`
 * hands the work a copy bound to the transaction's connection (and that connection's manager,
 * for the ports and sibling repositories that must write in the same transaction).
 */
@Injectable()
export class BookingsRepository extends ManagedRepository {
  constructor(@InjectEntityManager() manager: EntityManager) {
    super(manager);
  }

  // ---- one booking ----

  findOneForOwner(id: string, userId: string): Promise<BookingEntity | null> {
    return this.manager.getRepository(BookingEntity).findOneBy({ id, userId });
  }

  /** The owner's booking, row-locked for the rest of the transaction. */
  lockOneForOwner(id: string, userId: string): Promise<BookingEntity | null> {
    return this.manager
      .getRepository(BookingEntity)
      .createQueryBuilder('booking')
      .setLock('pessimistic_write')
      .where('booking.id = :bookingId AND booking.user_id = :userId', { bookingId: id, userId })
      .getOne();
  }

  /** Any user's booking: support desk and reconciliation only. */
  findById(id: string): Promise<BookingEntity | null> {
    return this.manager.getRepository(BookingEntity).findOneBy({ id });
  }

  /** Any user's booking, row-locked: reconciliation only. */
  lockById(id: string): Promise<BookingEntity | null> {
    return this.manager
      .getRepository(BookingEntity)
      .createQueryBuilder('booking')
      .setLock('pessimistic_write')
      .where('booking.id = :id', { id })
      .getOne();
  }

  /** A provider's booking by its reference, row-locked: provider events only. */
  lockByProviderReference(
    provider: string,
    providerReference: string,
  ): Promise<BookingEntity | null> {
    return this.manager
      .getRepository(BookingEntity)
      .createQueryBuilder('booking')
      .setLock('pessimistic_write')
      .where('booking.provider = :provider AND booking.provider_reference = :providerReference', {
        provider,
        providerReference,
      })
      .orderBy('booking.created_at', 'ASC')
      .getOne();
  }

  /** The booking's timeline, oldest first. */
  timeline(bookingId: string): Promise<BookingEventEntity[]> {
    return this.manager.getRepository(BookingEventEntity).find({
      where: { bookingId },
      order: { seq: 'ASC' },
    });
  }

  /** Pending bookings with a provider reference, oldest first: the status sync only. */
  pendingWithProvider(limit: number): Promise<BookingEntity[]> {
    return this.bookings()
      .where("booking.status = 'pending' AND booking.provider_reference IS NOT NULL")
      .orderBy('booking.created_at', 'ASC')
      .limit(limit)
      .getMany();
  }

  existsWithReference(reference: string): Promise<boolean> {
    return this.manager.getRepository(BookingEntity).existsBy({ reference });
  }

  async details(booking: BookingEntity): Promise<BookingDetailsEntity | null> {
    return (await this.manager
      .getRepository(DETAILS_ENTITY[booking.bookingType])
      .findOneBy({ bookingId: booking.id })) as BookingDetailsEntity | null;
  }

  travelers(bookingId: string): Promise<BookingTravelerEntity[]> {
    return this.manager
      .getRepository(BookingTravelerEntity)
      .find({ where: { bookingId }, order: { position: 'ASC' } });
  }

  async ledgerSums(bookingId: string): Promise<LedgerSums> {
    const rows = (await this.manager.query(
      `SELECT "kind", sum("amount_minor")::text AS "total" FROM "booking_ledger" WHERE "booking_id" = $1 GROUP BY "kind"`,
      [bookingId],
    )) as { kind: keyof LedgerSums; total: string }[];
    const sums: LedgerSums = { charge: 0, refund: 0, penalty: 0 };
    for (const row of rows) {
      const value = Number(row.total);
      if (!Number.isSafeInteger(value)) throw new RangeError(`Ledger sum ${row.total} too large`);
      sums[row.kind] = value;
    }
    return sums;
  }

  // ---- lists (keysetPage orders and limits them) ----

  /** The ledger of a booking the caller has already found as the owner's. */
  ledgerQuery(bookingId: string): SelectQueryBuilder<BookingLedgerEntryEntity> {
    return this.manager
      .getRepository(BookingLedgerEntryEntity)
      .createQueryBuilder('entry')
      .where('entry.booking_id = :bookingId', { bookingId });
  }

  listForOwnerQuery(userId: string, filters: OwnerListFilters): SelectQueryBuilder<BookingEntity> {
    const builder = this.bookings().where('booking.user_id = :userId', { userId });
    if (filters.status) builder.andWhere('booking.status = :status', { status: filters.status });
    if (filters.type) builder.andWhere('booking.booking_type = :type', { type: filters.type });
    if (filters.from) {
      builder.andWhere('booking.travel_start_date >= :from', { from: filters.from });
    }
    if (filters.to) builder.andWhere('booking.travel_start_date <= :to', { to: filters.to });
    return builder;
  }

  listForTravelerQuery(userId: string, travelerId: string): SelectQueryBuilder<BookingEntity> {
    return this.bookings()
      .where('booking.user_id = :userId', { userId })
      .andWhere(
        'EXISTS (SELECT 1 FROM "booking_travelers" bt WHERE bt.booking_id = booking.id AND bt.traveler_id = :travelerId)',
        { travelerId },
      );
  }

  listForSessionQuery(userId: string, sessionId: string): SelectQueryBuilder<BookingEntity> {
    return this.bookings()
      .where('booking.user_id = :userId', { userId })
      .andWhere(
        'EXISTS (SELECT 1 FROM "unified_session_bookings" usb WHERE usb.booking_id = booking.id AND usb.session_id = :sessionId)',
        { sessionId },
      );
  }

  /** Every user's bookings: the support desk only. */
  adminListQuery(filters: AdminListFilters): SelectQueryBuilder<BookingEntity> {
    const builder = this.bookings();
    if (filters.userId) builder.andWhere('booking.user_id = :userId', { userId: filters.userId });
    if (filters.status) builder.andWhere('booking.status = :status', { status: filters.status });
    if (filters.reference) {
      builder.andWhere('booking.reference = :reference', { reference: filters.reference });
    }
    if (filters.confirmationCode) {
      builder.andWhere('booking.confirmation_code = :confirmationCode', {
        confirmationCode: filters.confirmationCode,
      });
    }
    return builder;
  }

  // ---- writes ----

  insertBooking(values: NewBooking): Promise<BookingEntity> {
    const repository = this.manager.getRepository(BookingEntity);
    return repository.save(repository.create(values));
  }

  async insertFlightDetails(values: NewFlightDetails): Promise<void> {
    await this.manager.getRepository(FlightBookingEntity).insert(values);
  }

  async insertHotelDetails(values: NewHotelDetails): Promise<void> {
    await this.manager.getRepository(HotelBookingEntity).insert(values);
  }

  async insertActivityDetails(values: NewActivityDetails): Promise<void> {
    await this.manager.getRepository(ActivityBookingEntity).insert(values);
  }

  async insertTravelers(rows: NewBookingTraveler[]): Promise<void> {
    await this.manager.getRepository(BookingTravelerEntity).insert(rows);
  }

  async insertLedgerEntries(entries: NewLedgerEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.manager.getRepository(BookingLedgerEntryEntity).insert(entries);
  }

  async insertEvents(events: NewBookingEvent[]): Promise<void> {
    if (events.length === 0) return;
    const repository = this.manager.getRepository(BookingEventEntity);
    await repository.save(
      events.map((event) => repository.create({ ...event, data: event.data ?? {} })),
      { chunk: 1 },
    );
  }

  /** Pending bookings past their deadline → expired (unpaid: payment failed); their ids. */
  async expireOverdue(now: Date): Promise<string[]> {
    const [rows] = (await this.manager.query(
      `UPDATE "bookings"
          SET "status" = 'expired',
              "payment_status" = CASE WHEN "payment_status" IN ('pending', 'processing')
                                      THEN 'failed'::payment_status ELSE "payment_status" END,
              "version" = "version" + 1, "updated_at" = now()
        WHERE "status" = 'pending' AND "booking_deadline" < $1
        RETURNING "id"`,
      [now],
    )) as [{ id: string }[], number];
    return rows.map((row) => row.id);
  }

  /** Confirmed bookings whose travel ended before `today` → completed; their ids. */
  async completeEnded(today: string): Promise<string[]> {
    const [rows] = (await this.manager.query(
      `UPDATE "bookings"
          SET "status" = 'completed', "version" = "version" + 1, "updated_at" = now()
        WHERE "status" = 'confirmed' AND "travel_end_date" < $1
        RETURNING "id"`,
      [today],
    )) as [{ id: string }[], number];
    return rows.map((row) => row.id);
  }

  async updateState(bookingId: string, changes: BookingStateChange): Promise<void> {
    await this.manager.getRepository(BookingEntity).update({ id: bookingId }, changes);
  }

  async linkSession(sessionId: string, bookingId: string): Promise<void> {
    await this.manager.getRepository(SessionBookingEntity).insert({ sessionId, bookingId });
  }

  async markCancelled(booking: BookingEntity, changes: CancelledBooking): Promise<void> {
    const { cancellationResponse, ...columns } = changes;
    await this.manager.getRepository(BookingEntity).update(
      { id: booking.id },
      {
        ...columns,
        providerResponse: { ...booking.providerResponse, cancellation: cancellationResponse },
      },
    );
  }

  private bookings(): SelectQueryBuilder<BookingEntity> {
    return this.manager.getRepository(BookingEntity).createQueryBuilder('booking');
  }
}
