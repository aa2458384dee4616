import { z } from 'zod';
import type { CommentView } from '../contracts.js';
import { CLAUSE_KEY_PATTERN, LANGUAGES } from '../vocabulary.js';
import { text } from './text.js';

import { COMMENT_BODY_MAX, COMMENTS_PAGE_DEFAULT, COMMENTS_PAGE_MAX } from '../limits.js';

export { COMMENT_BODY_MAX, COMMENTS_PAGE_DEFAULT, COMMENTS_PAGE_MAX };
/** A quote and its context never exceed a clause; this only bounds what a client may send. */
const QUOTE_TEXT_MAX = 10_000;

export const commentBodySchema = text({ min: 1, max: COMMENT_BODY_MAX }).refine((v) => v.trim().length > 0, {
  message: 'must not be empty',
});

export const clauseKeySchema = z.string().regex(CLAUSE_KEY_PATTERN, { message: 'must be a clause key such as 13.2' });

const offset = z.number({ message: 'must be a number' }).int({ message: 'must be an integer' }).min(0, { message: 'must be 0 or more' });

/** W3C TextQuote + TextPosition: `exact` at [start, end) of the clause text in `lang` (UTF-16 offsets). */
export const quoteSchema = z
  .object({
    lang: z.enum(LANGUAGES),
    exact: text({ min: 1, max: QUOTE_TEXT_MAX }),
    prefix: text({ max: QUOTE_TEXT_MAX }).optional(),
    suffix: text({ max: QUOTE_TEXT_MAX }).optional(),
    start: offset,
    end: offset,
  })
  .strict()
  .refine((q) => q.end > q.start, { message: 'end must be greater than start', path: ['end'] })
  .refine((q) => q.end - q.start === q.exact.length, { message: 'end - start must equal the length of exact', path: ['exact'] });
export type QuoteInput = z.infer<typeof quoteSchema>;

export const commentIdSchema = z
  .string()
  .regex(/^[1-9]\d{0,15}$/, { message: 'must be a comment id' })
  .transform(Number)
  .refine((n) => Number.isSafeInteger(n), { message: 'must be a comment id' });

export const createCommentSchema = z
  .object({
    body: commentBodySchema,
    /** The clause the comment is about; absent or null: the whole item. A reply takes its parent's. */
    clauseKey: clauseKeySchema.nullish(),
    parentId: z.number({ message: 'must be a comment id' }).int().positive().max(Number.MAX_SAFE_INTEGER).nullish(),
    /** A passage of the clause; needs a clause. */
    quote: quoteSchema.nullish(),
  })
  .strict();
export type CreateCommentInput = z.infer<typeof createCommentSchema>;

export const updateCommentSchema = z
  .object({
    body: commentBodySchema,
  })
  .strict();
export type UpdateCommentInput = z.infer<typeof updateCommentSchema>;

export const listCommentsQuerySchema = z
  .object({
    clause: clauseKeySchema.optional(),
    /** Opaque: the `nextCursor` of the previous page. */
    cursor: z.string().max(200).optional(),
    limit: z.coerce
      .number({ message: 'must be a number' })
      .int({ message: 'must be an integer' })
      .min(1, { message: 'must be at least 1' })
      .max(COMMENTS_PAGE_MAX, { message: `must be at most ${COMMENTS_PAGE_MAX}` })
      .default(COMMENTS_PAGE_DEFAULT),
  })
  .strict();
export type ListCommentsQuery = z.infer<typeof listCommentsQuerySchema>;

/** GET /consultations/:slug/items/:n/comments: oldest first; `nextCursor` is null on the last page. */
export interface CommentsPage {
  comments: CommentView[];
  nextCursor: string | null;
}

/** Revisions per page of GET /comments/:id/revisions. */
export const REVISIONS_PAGE_DEFAULT = 50;
export const REVISIONS_PAGE_MAX = 100;

/**
 * GET /comments/:id/revisions?cursor=&limit=: the answer stays a JSON array (the first page, or
 * the page after `cursor`); the next page's cursor travels in the `X-Next-Cursor` header and a
 * `Link: <…>; rel="next"` header, both absent on the last page.
 */
export const listRevisionsQuerySchema = z
  .object({
    /** Opaque: the `X-Next-Cursor` of the previous page. */
    cursor: z.string().max(200).optional(),
    limit: z.coerce
      .number({ message: 'must be a number' })
      .int({ message: 'must be an integer' })
      .min(1, { message: 'must be at least 1' })
      .max(REVISIONS_PAGE_MAX, { message: `must be at most ${REVISIONS_PAGE_MAX}` })
      .default(REVISIONS_PAGE_DEFAULT),
  })
  .strict();
export type ListRevisionsQuery = z.infer<typeof listRevisionsQuerySchema>;

/** One page of revisions: the array the route answers, and the cursor of the next page (null on the last). */
export interface RevisionsPage {
  revisions: CommentRevisionView[];
  nextCursor: string | null;
}

/** GET /comments/:id/revisions: every earlier body, oldest first, with the time it was written. */
export interface CommentRevisionView {
  body: string;
  /** When this body was written (the comment's creation, or the edit that produced it). */
  editedAt: string;
  /** When the next edit replaced it. */
  replacedAt: string;
}
