/**
 * The port feature modules use to mail an account holder without knowing accounts: the auth
 * module implements it (it alone knows the address) and provides it globally under
 * `USER_MAIL`. Nothing is sent to an erased or deleted account.
 */
export interface UserMailMessage {
  subject: string;
  text: string;
  /** An HTML alternative of `text`. */
  html?: string;
}

export interface UserMail {
  /** Sends to the user's address; false when the user has none to mail (deleted, unknown). */
  sendToUser(userId: string, message: UserMailMessage): Promise<boolean>;
}

export const USER_MAIL = Symbol('USER_MAIL');
