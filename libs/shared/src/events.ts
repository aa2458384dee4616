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
  /** `{token}`: the socket takes this identity now (after a refresh, or to sign in without reconnecting); `{token: null}` makes it a guest. */
  Authenticate: 'authenticate',
} as const;

/**
 * Server → client, about the socket itself (never replayed). A socket's identity follows the
 * account while it lives: when its access token expires, its session is signed out or its
 * account changes so that it may no longer see what it follows, the server says so at once.
 */
export const LiveControl = {
  /** The socket is a guest from now on (token expired, session signed out or revoked): send `authenticate` with a fresh token. */
  SessionEnded: 'session.ended',
  /** A subscription was ended by the server (the consultation went back to draft, a role was taken away): `{consultation, item?}`. */
  SubscriptionEnded: 'subscription.ended',
} as const;
export interface SessionEndedPayload {
  reason: 'expired' | 'signed_out';
}
export interface SubscriptionEndedPayload {
  consultation: string;
  item?: number;
  reason: 'not_found';
}

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

/**
 * The answer to `subscribe` (and `unsubscribe`, `authenticate`). A replay is sent a page at a
 * time: with `more: true` the socket is not yet subscribed and `seq` is the last seq the page
 * covers — subscribe again with `since: seq` for the next page. With `more` false or absent the
 * socket is subscribed and `seq` is the consultation's last seq.
 */
export type SubscribeAck =
  | { ok: true; seq: number; more?: boolean }
  | { ok: false; error: string; message: string; statusCode?: number; code?: string; fields?: Record<string, string> };

/** Room names, shared so that every process and the tests agree. */
export function consultationRoom(slug: string): string {
  return `c:${slug}`;
}
export function itemRoom(slug: string, item: number): string {
  return `c:${slug}:i:${item}`;
}
