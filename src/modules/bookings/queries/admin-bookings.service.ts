import { Inject, Injectable } from '@nestjs/common';
import type { AuthenticatedUser } from '#libs/common/auth/authenticated-user.js';
import { AUDIT_LOG, type AuditLog } from '#libs/common/compliance-ports.js';
import { notFound } from '#libs/common/errors/problem.exception.js';
import { keysetPage, mapPage, type Page } from '#libs/common/pagination/pagination.js';
import { SUBJECT_DIRECTORY, type SubjectDirectory } from '#libs/common/subject-ports.js';
import { BookingsRepository } from '../bookings.repository.js';
import type { BookingEntity } from '../entities/booking.entity.js';
import { toBookingSummary } from '../bookings.mappers.js';
import type {
  AdminBookingResponseDto,
  AdminBookingSummaryDto,
  AdminListBookingsQueryDto,
} from '../dto/booking-response.dto.js';
import { bookingView } from './booking-view.js';

/** The support desk: any user's bookings, every read audited. */
@Injectable()
export class AdminBookingsService {
  constructor(
    private readonly bookings: BookingsRepository,
    @Inject(AUDIT_LOG) private readonly audit: AuditLog,
    @Inject(SUBJECT_DIRECTORY) private readonly directory: SubjectDirectory,
  ) {}

  async list(
    actor: AuthenticatedUser,
    query: AdminListBookingsQueryDto,
    requestId: string | null,
  ): Promise<Page<AdminBookingSummaryDto>> {
    // The email names a user through auth's directory port (bookings never imports auth); an
    // unknown email, or one naming another user than `userId`, matches no booking.
    let userId = query.userId;
    let noMatch = false;
    if (query.email !== undefined) {
      const account = await this.directory.findByEmail(query.email);
      if (!account || (userId !== undefined && userId !== account.id)) noMatch = true;
      else userId = account.id;
    }
    const page: Page<BookingEntity> = noMatch
      ? { items: [], nextCursor: null }
      : await keysetPage(this.bookings.adminListQuery({ ...query, userId }), {
          alias: 'booking',
          limit: query.limit,
          cursor: query.cursor,
        });
    await this.audit.record({
      actorId: actor.id,
      actorRoles: actor.roles,
      action: 'booking.list',
      subjectId: userId ?? null,
      resourceType: 'booking',
      resourceId: null,
      requestId,
    });
    return mapPage(page, (booking) => ({ ...toBookingSummary(booking), userId: booking.userId }));
  }

  /** One booking with its provider response; the read is audited in the same transaction. */
  get(
    actor: AuthenticatedUser,
    bookingId: string,
    requestId: string | null,
  ): Promise<AdminBookingResponseDto> {
    return this.bookings.transaction(async (bookings, manager) => {
      const booking = await bookings.findById(bookingId);
      if (!booking) throw notFound('BOOKING_NOT_FOUND', 'No such booking.');
      const dto = await bookingView(bookings, booking.id, booking.userId);
      await this.audit.record(
        {
          actorId: actor.id,
          actorRoles: actor.roles,
          action: 'booking.read',
          subjectId: booking.userId,
          resourceType: 'booking',
          resourceId: booking.id,
          requestId,
        },
        manager,
      );
      return { ...dto, userId: booking.userId, providerResponse: booking.providerResponse };
    });
  }
}
