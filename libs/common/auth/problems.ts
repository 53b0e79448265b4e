import { ProblemException } from '../errors/problem.exception.js';

export const unauthenticated = (detail = 'A valid bearer token is required.'): ProblemException =>
  new ProblemException(401, 'UNAUTHENTICATED', detail, {
    headers: { 'WWW-Authenticate': 'Bearer' },
  });
