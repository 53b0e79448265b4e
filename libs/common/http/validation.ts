import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ProblemException, type FieldErrors } from '../errors/problem.exception.js';

/** Flattens class-validator's error tree into `{ 'consents.0.purpose': ['…'] }`. */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): FieldErrors {
  const result: FieldErrors = {};
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints) {
      result[path] = Object.values(error.constraints);
    }
    if (error.children && error.children.length > 0) {
      Object.assign(result, flattenValidationErrors(error.children, path));
    }
  }
  return result;
}

export function validationProblem(errors: FieldErrors): ProblemException {
  const fields = Object.keys(errors);
  return new ProblemException(
    400,
    'VALIDATION_FAILED',
    `The request is invalid: ${fields.slice(0, 5).join(', ')}${fields.length > 5 ? ', …' : ''}.`,
    { errors },
  );
}

/** The one global pipe: unknown fields are refused, payloads become DTO instances. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => validationProblem(flattenValidationErrors(errors)),
  });
}
