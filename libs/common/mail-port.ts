/**
 * The one mail port (CONVENTIONS.md "Which way dependencies point"): modules mail people without
 * importing auth, which alone knows account addresses and owns the mailer (SMTP or the .eml
 * outbox). Auth provides it globally under `MAIL`.
 */
export interface MailContent {
  subject: string;
  text: string;
  /** An HTML alternative of `text`. */
  html?: string;
}

/** A mail to a known address. */
export interface AddressedMail extends MailContent {
  to: string;
}

export interface MailPort {
  /** Sends to an address (staff digests, the intake address of a privacy request). */
  send(message: AddressedMail): Promise<void>;
  /**
   * Sends to the account's address; false when the account has none to mail (unknown, deleted
   * or erased): nothing is sent then.
   */
  sendToUser(userId: string, message: MailContent): Promise<boolean>;
}

export const MAIL = Symbol('MAIL');
