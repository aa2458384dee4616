/**
 * Limits of the discussion, apart from the schemas that enforce them, so that a client can read
 * them without loading zod (the web's item page does, before anyone writes).
 */

/** A comment body: Markdown, stored as written, rendered sanitised by clients. */
export const COMMENT_BODY_MAX = 10_000;
/** Comments per page of a thread. */
export const COMMENTS_PAGE_DEFAULT = 50;
export const COMMENTS_PAGE_MAX = 100;
