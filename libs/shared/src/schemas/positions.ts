import { z } from 'zod';
import { CLAUSE_KEY_PATTERN, STANCES } from '../vocabulary.js';
import { text } from './text.js';

export const REASON_MAX = 2000;

const clauseKeySchema = z.string().regex(CLAUSE_KEY_PATTERN, { message: 'must be a clause key like 13.2' });

/** PUT /consultations/:slug/items/:n/position */
export const takePositionSchema = z
  .object({
    stance: z.enum(STANCES, { message: `must be one of ${STANCES.join(', ')}` }),
    /** Absent or null: the position is on the item itself. */
    clauseKey: clauseKeySchema.nullable().optional(),
    reason: text({ max: REASON_MAX, trim: true }).nullable().optional(),
  })
  .strict();
export type TakePositionInput = z.infer<typeof takePositionSchema>;

/** DELETE /consultations/:slug/items/:n/position?clause= */
export const withdrawPositionQuerySchema = z.object({
  clause: clauseKeySchema.optional(),
});
export type WithdrawPositionQuery = z.infer<typeof withdrawPositionQuerySchema>;

/** `verified` (default) counts verified participants only; `any` counts everyone. */
export const tallyVerifiedSchema = z.enum(['verified', 'any'], { message: 'must be "verified" or "any"' }).default('verified');

/** GET /consultations/:slug/items/:n/tally */
export const itemTallyQuerySchema = z.object({
  clause: clauseKeySchema.optional(),
  verified: tallyVerifiedSchema,
});
export type ItemTallyQuery = z.infer<typeof itemTallyQuerySchema>;

/** GET /consultations/:slug/tally */
export const consultationTallyQuerySchema = z.object({
  verified: tallyVerifiedSchema,
});
export type ConsultationTallyQuery = z.infer<typeof consultationTallyQuerySchema>;

export const EXPORT_FORMATS = ['json', 'csv'] as const;
export const EXPORT_DATA = ['all', 'positions', 'comments'] as const;

/** GET /consultations/:slug/export */
export const exportQuerySchema = z.object({
  format: z.enum(EXPORT_FORMATS, { message: 'must be "csv" or "json"' }).default('json'),
  /** What to include; both by default. */
  data: z.enum(EXPORT_DATA, { message: 'must be "all", "positions" or "comments"' }).default('all'),
});
export type ExportQuery = z.infer<typeof exportQuerySchema>;
