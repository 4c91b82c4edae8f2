import { ValidateBy, ValidationOptions } from 'class-validator';
import { textProblem } from '../common/text-check.js';

/**
 * class-validator rule: a text of at most `maxLength` characters that can be stored, checked by
 * `textProblem` (common/text-check.ts), the same function the CSV importers apply to the same
 * field with the same limit (one definition of each limit: RECORD_TEXT_LIMITS,
 * REGISTER_TEXT_LIMITS). The message names the limit and the length found.
 */
export function IsLimitedText(maxLength: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLimitedText',
      constraints: [maxLength],
      validator: {
        validate: (v: unknown) => typeof v === 'string' && textProblem(v, maxLength) === null,
        defaultMessage: (args) =>
          typeof args?.value === 'string'
            ? `${args.property} is ${textProblem(args.value, maxLength)}`
            : `${args?.property} must be text of at most ${maxLength} characters`,
      },
    },
    options,
  );
}
