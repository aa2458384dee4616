import { z } from 'zod';
import type { AuthorView, CommentView } from '../contracts.js';
import type { LocalizedText } from '../document.js';
import { FLAG_REASONS, type CommentStatus, type FlagReason, type ModerationAction, type Role, type StakeholderGroup } from '../vocabulary.js';
import { text } from './text.js';

/**
 * Moderation (api-contract.md, "Moderation", and POST /comments/:id/flags): flags, the queue,
 * actions with a stated reason, the logs, and the notifications that tell an author what
 * happened. Request schemas serve the API and the web forms; the interfaces are the responses.
 */

export const FLAG_NOTE_MAX = 1000;
export const MODERATION_REASON_MAX = 1000;
export const QUEUE_PAGE_DEFAULT = 50;
export const QUEUE_PAGE_MAX = 100;
export const LOG_PAGE_DEFAULT = 50;
export const LOG_PAGE_MAX = 200;
export const NOTIFICATIONS_PAGE_DEFAULT = 50;
export const NOTIFICATIONS_PAGE_MAX = 100;

const positiveId = (what: string) =>
  z.coerce
    .number({ message: `must be ${what}` })
    .int({ message: `must be ${what}` })
    .positive({ message: `must be ${what}` })
    .max(Number.MAX_SAFE_INTEGER, { message: `must be ${what}` });

const pageLimit = (def: number, max: number) =>
  z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be an integer' })
    .min(1, { message: 'must be at least 1' })
    .max(max, { message: `must be at most ${max}` })
    .default(def);

/** The reason every moderation action states: 1–1000 characters, shown to the author and in the public log. */
export const moderationReasonSchema = text({ min: 1, max: MODERATION_REASON_MAX, trim: true });

/** POST /comments/:id/flags */
export const flagCommentSchema = z
  .object({
    reason: z.enum(FLAG_REASONS, { message: `must be one of ${FLAG_REASONS.join(', ')}` }),
    /** Optional words for the moderators; "" means none. */
    note: text({ max: FLAG_NOTE_MAX, trim: true }).nullish(),
  })
  .strict();
export type FlagCommentInput = z.infer<typeof flagCommentSchema>;

/** POST /moderation/comments/:id/hide, /restore and /dismiss */
export const moderateCommentSchema = z.object({ reason: moderationReasonSchema }).strict();
export type ModerateCommentInput = z.infer<typeof moderateCommentSchema>;

/** POST /moderation/consultations/:slug/items/:n/lock */
export const lockItemSchema = z
  .object({
    locked: z.boolean({ message: 'must be true or false' }),
    reason: moderationReasonSchema,
  })
  .strict();
export type LockItemInput = z.infer<typeof lockItemSchema>;

/**
 * A suspension's end: an ISO 8601 date-time with an offset (`2026-12-31T18:00:00Z`), or a date
 * (`2026-12-31`), which means "through that day" — the suspension ends at the next midnight UTC.
 */
export const suspensionUntilSchema = z.union(
  [z.iso.datetime({ offset: true }).transform((v) => new Date(v)), z.iso.date().transform((v) => new Date(Date.parse(`${v}T00:00:00Z`) + 86_400_000))],
  { message: 'must be an ISO 8601 date (2026-12-31) or date-time with offset (2026-12-31T18:00:00Z), or null' },
);

/**
 * POST /moderation/users/:id/suspend. `until` must lie in the future; `null` lifts a suspension
 * (logged as `unsuspend`). A past date is refused rather than read as "lift", so that a typo
 * cannot end a suspension by accident.
 */
export const suspendUserSchema = z
  .object({
    until: suspensionUntilSchema.nullable(),
    reason: moderationReasonSchema,
  })
  .strict();
export type SuspendUserInput = z.infer<typeof suspendUserSchema>;

/** GET /moderation/queue */
export const moderationQueueQuerySchema = z
  .object({
    limit: pageLimit(QUEUE_PAGE_DEFAULT, QUEUE_PAGE_MAX),
    offset: z.coerce.number({ message: 'must be a number' }).int({ message: 'must be an integer' }).min(0, { message: 'must be 0 or more' }).max(100_000).default(0),
  })
  .strict();
export type ModerationQueueQuery = z.infer<typeof moderationQueueQuerySchema>;

/** GET /moderation/log and GET /consultations/:slug/moderation-log: newest first; `before` = the id of the last entry of the previous page. */
export const moderationLogQuerySchema = z
  .object({
    before: positiveId('a log entry id').optional(),
    limit: pageLimit(LOG_PAGE_DEFAULT, LOG_PAGE_MAX),
  })
  .strict();
export type ModerationLogQuery = z.infer<typeof moderationLogQuerySchema>;

/** GET /me/notifications: newest first; `before` = the id of the last notification of the previous page. */
export const notificationsQuerySchema = z
  .object({
    before: positiveId('a notification id').optional(),
    limit: pageLimit(NOTIFICATIONS_PAGE_DEFAULT, NOTIFICATIONS_PAGE_MAX),
    unread: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  })
  .strict();
export type NotificationsQuery = z.infer<typeof notificationsQuerySchema>;

/** POST /me/notifications/read: these notifications, or (no `ids`) all of them. */
export const markNotificationsReadSchema = z
  .object({
    ids: z.array(positiveId('a notification id'), { message: 'must be a list of notification ids' }).min(1).max(200).optional(),
  })
  .strict();
export type MarkNotificationsReadInput = z.infer<typeof markNotificationsReadSchema>;

// ---------------------------------------------------------------------------------------------
// Responses

/** A flag as moderators see it: who flagged, why, when. */
export interface FlagView {
  id: number;
  reason: FlagReason;
  note: string | null;
  createdAt: string;
  flagger: AuthorView;
  /** null while the flag waits in the queue. */
  resolution: 'hidden' | 'dismissed' | null;
  resolvedAt: string | null;
}

/** POST /comments/:id/flags (201): the flag as its flagger sees it. */
export interface FlagReceipt {
  id: number;
  commentId: number;
  reason: FlagReason;
  note: string | null;
  createdAt: string;
}

/** Where a comment sits: the consultation, item, clause and the comment it replies to. */
export interface ModerationContext {
  consultation: { slug: string; title: LocalizedText };
  item: { number: number; title: LocalizedText; locked: boolean };
  clause: { key: string; text: LocalizedText } | null;
  /** The comment replied to, with the first characters of its text (moderators read hidden text too). */
  parent: { id: number; status: CommentStatus; author: AuthorView; excerpt: string | null } | null;
}

/**
 * A target of a moderation action. `id` is the comment id (comment), the item number (item) or
 * the user id (user); `consultation`/`item` name where it happened (null for a suspension).
 * `user` is the participant concerned (the comment's author, the suspended participant): for
 * moderators only — the public log names no participant (a suspension there has `id: null`).
 */
export interface ModerationTarget {
  type: 'comment' | 'item' | 'user';
  id: number | string | null;
  consultation: string | null;
  item: number | null;
  clause: string | null;
  user: { id: string; displayName: string } | null;
}

/** The public log entry: no moderator identity. */
export interface PublicModerationLogEntry {
  id: number;
  at: string;
  action: ModerationAction;
  target: ModerationTarget;
  reason: string;
  /** The end of a suspension (suspend); null otherwise. */
  until: string | null;
}

/** The moderators' log entry: who acted. */
export interface ModerationLogEntry extends PublicModerationLogEntry {
  moderator: { id: string; displayName: string; role: Role };
}

/** One comment in the queue: the comment with its full text, its open flags, its context and its author's record. */
export interface ModerationQueueEntry extends CommentView {
  /** Open flags (not yet resolved by a hide or a dismissal). */
  flagCount: number;
  firstFlaggedAt: string;
  lastFlaggedAt: string;
  flags: FlagView[];
  context: ModerationContext;
  /** Earlier moderation actions concerning the author (their comments or their account), newest first. */
  authorHistory: ModerationLogEntry[];
  authorSuspendedUntil: string | null;
}

/** GET /moderation/comments/:id: one comment for judging (hidden text included), every flag, its history. */
export interface ModerationCommentDetail {
  comment: CommentView;
  context: ModerationContext;
  flags: FlagView[];
  history: ModerationLogEntry[];
  authorHistory: ModerationLogEntry[];
  authorSuspendedUntil: string | null;
}

/** POST /moderation/consultations/:slug/items/:n/lock (200). */
export interface ItemLockView {
  consultation: string;
  item: number;
  locked: boolean;
}

/** POST /moderation/users/:id/suspend (200): the participant's public face and the suspension's end. */
export interface SuspensionView {
  id: string;
  displayName: string;
  stakeholderGroup: StakeholderGroup;
  organization: string | null;
  role: Role;
  suspendedUntil: string | null;
}

export const NOTIFICATION_TYPES = ['comment.hidden', 'comment.restored', 'account.suspended', 'account.unsuspended'] as const;
export type NotificationType = (typeof NOTIFICATION_TYPES)[number];

/** What a participant is told: what happened, the stated reason, and where. No moderator identity. */
export interface NotificationView {
  id: number;
  type: NotificationType;
  reason: string;
  createdAt: string;
  readAt: string | null;
  /** The comment concerned (comment.hidden / comment.restored). */
  comment: { id: number; consultation: string; itemNumber: number; clauseKey: string | null } | null;
  /** The end of the suspension (account.suspended). */
  until: string | null;
}

/** GET /me/notifications */
export interface NotificationsPage {
  notifications: NotificationView[];
  unread: number;
  /** Pass as `before` for the next page; null on the last one. */
  nextBefore: number | null;
}

/** The personal live event `notification.created`, sent only to the sockets of the user concerned. */
export interface NotificationCreatedPayload {
  notification: NotificationView;
}
