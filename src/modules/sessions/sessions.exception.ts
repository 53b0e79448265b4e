import {
  etagOf,
  preconditionFailed as staleVersion,
  preconditionRequired as requireIfMatch,
} from '#libs/common/http/version-etag.js';
import { registerConstraint } from '#libs/common/errors/constraint-codes.js';
import {
  conflict,
  notFound,
  ProblemException,
  unprocessable,
} from '#libs/common/errors/problem.exception.js';
import { UQ_SAVED_ITEM_EXTERNAL } from './saved-item.entity.js';
import { SESSION_LIMITS } from './session-limits.js';
import type { SessionStatus } from './session-status.js';

registerConstraint(
  UQ_SAVED_ITEM_EXTERNAL,
  409,
  'SAVED_ITEM_DUPLICATE',
  'This provider item is already saved in this session.',
);

export { etagOf };

export const sessionNotFound = (): ProblemException =>
  notFound('SESSION_NOT_FOUND', 'No such session.');

export const savedItemNotFound = (): ProblemException =>
  notFound('SAVED_ITEM_NOT_FOUND', 'No such saved item in this session.');

export const sessionArchived = (): ProblemException =>
  conflict('SESSION_ARCHIVED', 'The session is archived and can no longer be changed.');

export const invalidTransition = (from: SessionStatus, to: SessionStatus): ProblemException =>
  conflict('INVALID_STATUS_TRANSITION', `A session cannot go from "${from}" to "${to}".`, {
    from,
    to,
  });

export const preconditionRequired = (): ProblemException => requireIfMatch('session');

export const preconditionFailed = (currentVersion: number): ProblemException =>
  staleVersion(currentVersion, 'session');

export const messageLimitReached = (): ProblemException =>
  unprocessable(
    'SESSION_MESSAGE_LIMIT',
    `A session holds at most ${SESSION_LIMITS.maxChatMessages} chat messages; start a new session.`,
  );

export const sessionTooLarge = (): ProblemException =>
  unprocessable(
    'SESSION_TOO_LARGE',
    `The session's data would exceed ${SESSION_LIMITS.sessionDataMaxBytes} bytes.`,
  );
