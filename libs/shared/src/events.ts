import type { CommentView, TallyView } from './contracts.js';

/** The live channel (api-contract.md, "Live channel"): one namespace, event names and payloads. */
export const LIVE_NAMESPACE = '/live';

export const LiveEvent = {
  CommentCreated: 'comment.created',
  CommentUpdated: 'comment.updated',
  CommentDeleted: 'comment.deleted',
  CommentHidden: 'comment.hidden',
  CommentRestored: 'comment.restored',
  TallyUpdated: 'tally.updated',
  ItemLocked: 'item.locked',
  ConsultationUpdated: 'consultation.updated',
  NotificationCreated: 'notification.created',
} as const;
export type LiveEventName = (typeof LiveEvent)[keyof typeof LiveEvent];

/** Events kept in the outbox with a per-consultation `seq` (everything but presence and personal notifications). */
export interface SequencedPayloads {
  'comment.created': { seq: number; comment: CommentView };
  'comment.updated': { seq: number; comment: CommentView };
  'comment.deleted': { seq: number; comment: CommentView };
  'comment.hidden': { seq: number; comment: CommentView };
  'comment.restored': { seq: number; comment: CommentView };
  'tally.updated': { seq: number; tally: TallyView };
  'item.locked': { seq: number; item: number; locked: boolean };
  'consultation.updated': { seq: number; status: string };
}
export type SequencedEventName = keyof SequencedPayloads;

/** Client → server messages. */
export const LiveCommand = {
  Subscribe: 'subscribe',
  Unsubscribe: 'unsubscribe',
} as const;

export const PRESENCE_EVENT = 'presence';
export interface PresencePayload {
  item: number;
  viewers: number;
}

export interface SubscribeRequest {
  consultation: string;
  item?: number;
  since?: number;
}

export type SubscribeAck = { ok: true; seq: number } | { ok: false; error: string; message: string };

/** Room names, shared so that every process and the tests agree. */
export function consultationRoom(slug: string): string {
  return `c:${slug}`;
}
export function itemRoom(slug: string, item: number): string {
  return `c:${slug}:i:${item}`;
}
