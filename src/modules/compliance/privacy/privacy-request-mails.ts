import type { PrivacyRequestEntity } from './privacy-request.entity.js';

const TYPE_WORDS: Record<PrivacyRequestEntity['type'], string> = {
  access: 'access to your personal data',
  erasure: 'erasure of your personal data',
  rectification: 'rectification of your personal data',
  restriction: 'restriction of processing',
  objection: 'objection to processing',
  portability: 'a portable copy of your personal data',
};

const day = (value: Date): string => value.toISOString().slice(0, 10);

/**
 * The mail to the subject when their request is closed: about their request only (reference,
 * type, dates, the outcome or the reason), nothing about anyone else.
 */
export function subjectMail(request: PrivacyRequestEntity): { subject: string; text: string } {
  const completed = request.status === 'completed';
  const lines = [
    'Hello,',
    '',
    `your request for ${TYPE_WORDS[request.type]}, received on ${day(request.receivedAt)}, has been ${completed ? 'completed' : 'rejected'}.`,
    '',
    completed ? `Outcome: ${request.outcome ?? ''}` : `Reason: ${request.rejectionReason ?? ''}`,
    '',
    `Reference: ${request.id}`,
    '',
    'If you disagree, you may lodge a complaint with a data protection supervisory authority.',
    '',
    'Pathavana',
  ];
  return {
    subject: `Your privacy request ${request.id} was ${completed ? 'completed' : 'rejected'}`,
    text: lines.join('\n'),
  };
}
