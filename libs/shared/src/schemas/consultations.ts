import { z } from 'zod';
import { CONSULTATION_STATUSES } from '../vocabulary.js';
import { slugSchema, text } from './text.js';

export const importConsultationSchema = z
  .object({
    slug: slugSchema,
    /** Markdown in the format of the seed: `# title`, an optional source line, a preamble, numbered items `一、…` (or `1. …`). */
    markdown: text({ min: 1, max: 500_000 }).optional(),
    /** English in the one-clause-per-line format (`## n. Title` then one line per clause). */
    markdownEn: text({ min: 1, max: 500_000 }).optional(),
    status: z.enum(CONSULTATION_STATUSES).default('draft'),
  })
  .strict()
  .refine((v) => v.markdown !== undefined || v.markdownEn !== undefined, {
    message: 'markdown or markdownEn is required',
    path: ['markdown'],
  });
export type ImportConsultationInput = z.infer<typeof importConsultationSchema>;

export const updateConsultationSchema = z
  .object({
    status: z.enum(CONSULTATION_STATUSES),
  })
  .strict();
export type UpdateConsultationInput = z.infer<typeof updateConsultationSchema>;

export const authenticateSchema = z
  .object({
    token: z.string().min(1).max(4096).nullable(),
  })
  .strict();

export const subscribeSchema = z
  .object({
    consultation: slugSchema,
    item: z.number().int().min(0).max(999).optional(),
    since: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  })
  .strict();
