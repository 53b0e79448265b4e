import { Param, ParseUUIDPipe } from '@nestjs/common';
import { validationProblem } from './validation.js';

/**
 * A UUID path parameter (any version). Malformed → 400 `VALIDATION_FAILED` naming the parameter,
 * the same problem in every module: `@UuidParam('id') id: string`.
 */
export const UuidParam = (name: string): ParameterDecorator =>
  Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => validationProblem({ [name]: ['must be a UUID'] }),
    }),
  );
