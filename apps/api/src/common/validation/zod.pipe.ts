import { type PipeTransform } from '@nestjs/common';
import type { ZodType } from 'zod';
import { badFields } from '../errors/domain-error.js';
import { zodFields, zodMessage } from '../errors/http-exception.filter.js';

/** Validates a body, query or param against a schema from libs/shared; a failure is a 400 naming the field. */
export class ZodPipe<T> implements PipeTransform<unknown, T> {
  constructor(private readonly schema: ZodType<T>) {}

  transform(value: unknown): T {
    const result = this.schema.safeParse(value ?? {});
    if (!result.success) throw badFields(zodFields(result.error), zodMessage(result.error));
    return result.data;
  }
}
