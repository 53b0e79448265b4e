/**
 * The body of a valid passport for Camille Martin (FR), without its number: tests add a number
 * (unique per test database: the blind index rejects a duplicate) and their overrides.
 */
export const PASSPORT_FIELDS = {
  type: 'passport',
  issuingCountry: 'FR',
  nationality: 'FR',
  holderName: 'Camille Martin',
  dateOfBirth: '1990-04-01',
  issueDate: '2021-03-01',
  expiryDate: '2031-02-28',
} as const;
