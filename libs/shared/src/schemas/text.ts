import { z } from 'zod';

/**
 * Text a person typed. PostgreSQL refuses NUL in text and a lone surrogate cannot be encoded as
 * UTF-8, so both are refused here, at the edge, with a 400 naming the field.
 */
export function text(opts: { min?: number; max: number; trim?: boolean }) {
  let s = z.string();
  if (opts.trim) s = s.trim();
  return s
    .min(opts.min ?? 0, { message: opts.min === 1 ? 'must not be empty' : `must have at least ${opts.min} characters` })
    .max(opts.max, { message: `must have at most ${opts.max} characters` })
    .refine((v) => !v.includes('\u0000'), { message: 'must not contain NUL characters' })
    .refine((v) => v.isWellFormed(), { message: 'must be well-formed Unicode (no lone surrogates)' });
}

/** A display name: no control or bidi-override characters that would disguise it. */
export function displayText(max: number) {
  return text({ min: 1, max, trim: true }).refine(
    (v) => !/[\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/.test(v),
    { message: 'must not contain control, zero-width or direction-override characters' },
  );
}

export const slugSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, { message: 'must be lowercase letters, digits and dashes (1-64)' });

export const itemNumberSchema = z.coerce
  .number({ message: 'must be an item number' })
  .int({ message: 'must be an integer' })
  .min(0, { message: 'must be 0 or more' })
  .max(999, { message: 'must be at most 999' });
