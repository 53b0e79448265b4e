import { Global, Inject, Injectable, Module } from '@nestjs/common';
import { InjectEntityManager } from '@nestjs/typeorm';
import type { EntityManager } from 'typeorm';
import { USER_MAIL, type UserMail, type UserMailMessage } from '#libs/common/user-mail-port.js';
import { APP_CONFIG } from '#config/app-config.js';
import { createMailer, MAILER, type Mailer } from './mailer.js';

/** The USER_MAIL port: the account's address looked up here, then the mailer (SMTP or outbox). */
@Injectable()
export class AccountMailer implements UserMail {
  constructor(
    @Inject(MAILER) private readonly mailer: Mailer,
    @InjectEntityManager() private readonly manager: EntityManager,
  ) {}

  async sendToUser(userId: string, message: UserMailMessage): Promise<boolean> {
    const [row] = (await this.manager.query(
      `SELECT "email" FROM "users" WHERE "id" = $1 AND "status" <> 'deleted'`,
      [userId],
    )) as { email: string }[];
    if (!row) return false;
    await this.mailer.send({ to: row.email, ...message });
    return true;
  }
}

/** Provides MAILER and, globally, the USER_MAIL port (imported once, by AuthModule). */
@Global()
@Module({
  providers: [
    { provide: MAILER, inject: [APP_CONFIG], useFactory: createMailer },
    AccountMailer,
    { provide: USER_MAIL, useExisting: AccountMailer },
  ],
  exports: [MAILER, USER_MAIL],
})
export class MailerModule {}
