import { Inject, Injectable, Logger } from '@nestjs/common';
import { MAIL, type MailPort } from '#libs/common/mail-port.js';
import { BookingsRepository } from '../bookings.repository.js';
import { bookingMail, MAILED_EVENTS, type MailedEvent } from './booking-mail-templates.js';

const isMailed = (type: string): type is MailedEvent =>
  (MAILED_EVENTS as readonly string[]).includes(type);

/**
 * Mails the booking's owner when it is confirmed, fails, is cancelled or its schedule changes.
 * Called after the change committed; a mail failure is logged, never undoes the change.
 */
@Injectable()
export class BookingNotifier {
  private readonly logger = new Logger(BookingNotifier.name);

  constructor(
    private readonly bookings: BookingsRepository,
    @Inject(MAIL) private readonly mail: MailPort,
  ) {}

  async notify(bookingId: string, type: string): Promise<void> {
    if (!isMailed(type)) return;
    try {
      const booking = await this.bookings.findById(bookingId);
      if (!booking) return;
      await this.mail.sendToUser(booking.userId, bookingMail(type, booking));
    } catch (error) {
      this.logger.error(`Mail about booking ${bookingId} (${type}) failed: ${String(error)}`);
    }
  }
}
