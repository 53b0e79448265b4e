import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { EntityManager } from 'typeorm';
import {
  MAIL,
  type AddressedMail,
  type MailContent,
  type MailPort,
} from '#libs/common/mail-port.js';
import { APP_CONFIG } from '#config/app-config.js';
import { createMailer, MAILER, type Mailer } from './mailer.js';

/**
 * The MAIL port: to an address straight through the mailer (SMTP or outbox); to an account
 * through the account's address, looked up here.
 */
@Injectable()
export class AccountMailer implements MailPort {
  constructor(
    @Inject(MAILER) private readonly mailer: Mailer,
    @InjectEntityManager() private readonly manager: EntityManager,
  ) {}

  send(message: AddressedMail): Promise<void> {
    return this.mailer.send(message);
  }

  async sendToUser(userId: string, message: MailContent): Promise<boolean> {
    const [row] = (await this.manager.query(
      `SELECT "email" FROM "users" WHERE "id" = $1 AND "status" <> 'deleted'`,
      [userId],
    )) as { email: string }[];
    if (!row) return false;
    await this.mailer.send({ to: row.email, ...message });
    return true;
  }
}

/** Provides MAILER and, globally, the MAIL port (imported once, by AuthModule). */
@Global()
@Module({
  providers: [
    { provide: MAILER, inject: [APP_CONFIG], useFactory: createMailer },
    AccountMailer,
    { provide: MAIL, useExisting: AccountMailer },
  ],
  exports: [MAILER, MAIL],
})
export class MailerModule {}
