/**
 * The port through which compliance and the support desk find accounts without importing auth
 * (CONVENTIONS.md "Which way dependencies point"): auth owns accounts and implements it. Mail
 * goes through the `MAIL` port (mail-port.ts).
 */

export interface SubjectAccount {
  id: string;
  email: string;
  roles: readonly string[];
}

/** Finds accounts for the privacy-request register. */
export interface SubjectDirectory {
  /** The account holding `email` (case-insensitive), if any; erased accounts have none. */
  findByEmail(email: string): Promise<SubjectAccount | null>;
  /** The account with id `userId`, unless it does not exist or was erased. */
  findById(userId: string): Promise<SubjectAccount | null>;
  /** The email addresses of active accounts holding `role`. */
  emailsWithRole(role: string): Promise<string[]>;
}

export const SUBJECT_DIRECTORY = Symbol('SUBJECT_DIRECTORY');
