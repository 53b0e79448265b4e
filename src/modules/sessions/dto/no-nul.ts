import { ValidateBy, type ValidationOptions } from 'class-validator';

/** PostgreSQL text and jsonb cannot hold U+0000: refuse it as a 400, not a database error. */
export const NoNulCharacters = (options?: ValidationOptions): PropertyDecorator =>
  ValidateBy(
    {
      name: 'noNulCharacters',
      validator: {
        validate: (value: unknown) => typeof value !== 'string' || !value.includes('\u0000'),
        defaultMessage: (args) => `${args?.property ?? 'value'} must not contain NUL characters`,
      },
    },
    options,
  );
