import type { MailContent as UserMailMessage } from '#libs/common/mail-port.js';

/** The booking facts a mail may show: reference, type, dates, code. Never traveler documents. */
export interface BookingMailFacts {
  reference: string;
  bookingType: string;
  travelStartDate: string;
  travelEndDate: string;
  confirmationCode: string | null;
}

export const MAILED_EVENTS = [
  'booking.confirmed',
  'booking.failed',
  'booking.cancelled',
  'booking.schedule_changed',
] as const;
export type MailedEvent = (typeof MAILED_EVENTS)[number];

const HEADLINES: Record<MailedEvent, (reference: string) => string> = {
  'booking.confirmed': (reference) => `Your booking ${reference} is confirmed`,
  'booking.failed': (reference) => `Your booking ${reference} could not be completed`,
  'booking.cancelled': (reference) => `Your booking ${reference} has been cancelled`,
  'booking.schedule_changed': (reference) => `The schedule of your booking ${reference} changed`,
};

const BODIES: Record<MailedEvent, string> = {
  'booking.confirmed': 'The provider confirmed your booking. Have a good trip!',
  'booking.failed':
    'The provider could not complete your booking. Nothing was charged; you can book again.',
  'booking.cancelled':
    'Your booking was cancelled. Any refund due appears in the booking’s ledger in the app.',
  'booking.schedule_changed':
    'The provider changed the schedule of your booking. Please check the details in the app.',
};

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);

/** The mail for one lifecycle event, as text and HTML. */
export function bookingMail(event: MailedEvent, facts: BookingMailFacts): UserMailMessage {
  const subject = HEADLINES[event](facts.reference);
  const lines: [string, string][] = [
    ['Booking reference', facts.reference],
    ['Type', facts.bookingType],
    ['Travel dates', `${facts.travelStartDate} to ${facts.travelEndDate}`],
  ];
  if (event === 'booking.confirmed' && facts.confirmationCode) {
    lines.push(['Confirmation code', facts.confirmationCode]);
  }
  const text = [
    subject,
    '',
    BODIES[event],
    '',
    ...lines.map(([label, value]) => `${label}: ${value}`),
    '',
    '— Pathavana',
  ].join('\n');
  const html = [
    '<!doctype html><html><body>',
    `<h1>${escapeHtml(subject)}</h1>`,
    `<p>${escapeHtml(BODIES[event])}</p>`,
    '<table>',
    ...lines.map(
      ([label, value]) =>
        `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    ),
    '</table>',
    '<p>— Pathavana</p>',
    '</body></html>',
  ].join('\n');
  return { subject, text, html };
}
