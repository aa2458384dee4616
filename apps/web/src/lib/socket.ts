import {
  LIVE_NAMESPACE,
  LiveCommand,
  LiveControl,
  LiveEvent,
  PRESENCE_EVENT,
  type PresencePayload,
  type SequencedEventName,
  type SequencedPayloads,
  type SubscribeAck,
  type SubscribeRequest,
  type SubscriptionEndedPayload,
  type NotificationCreatedPayload,
} from '@forum/shared';
import type { Socket } from 'socket.io-client';
import { currentAccessToken, getAccessToken, onAccessTokenChange, refreshAccessToken } from './api-client';

/**
 * The one live connection of the page (socket.io namespace /live). Pages subscribe through
 * `subscribeLive`; this module sends the access token in the handshake, re-subscribes after a
 * reconnect with `since` = the last seq each subscription saw (so the server replays exactly
 * what was missed), and drops any event it has already delivered (dedup by seq).
 */

export type LiveHandlers = {
  [K in SequencedEventName]?: (payload: SequencedPayloads[K]) => void;
} & {
  presence?: (payload: PresencePayload) => void;
  /** Called after every successful (re)subscription with the ack; `initial` on the first. */
  synced?: (info: { seq: number; initial: boolean }) => void;
  /** The connection state changed (for an "offline" hint). */
  connection?: (connected: boolean) => void;
  /** The server ended the subscription (the consultation is no longer visible to this identity). */
  ended?: () => void;
};

interface Subscription {
  req: { consultation: string; item?: number };
  lastSeq: number | null;
  handlers: LiveHandlers;
  closed: boolean;
}

const SEQUENCED_EVENTS = Object.values(LiveEvent).filter((n) => n !== LiveEvent.NotificationCreated) as SequencedEventName[];

const subscriptions = new Set<Subscription>();
let socket: Socket | null = null;
let authTokenUsed: string | null = null;

function itemOf(name: SequencedEventName, payload: unknown): number | null {
  const p = payload as Record<string, any>;
  switch (name) {
    case 'tally.updated':
      return p.tally?.target?.item ?? null;
    case 'item.locked':
      return p.item ?? null;
    case 'consultation.updated':
      return null;
    default:
      return p.comment?.itemNumber ?? null;
  }
}

function covers(sub: Subscription, item: number | null): boolean {
  return sub.req.item === undefined || item === null || sub.req.item === item;
}

function dispatch(name: SequencedEventName, payload: { seq: number }): void {
  const item = itemOf(name, payload);
  for (const sub of subscriptions) {
    if (sub.closed || !covers(sub, item)) continue;
    if (sub.lastSeq !== null && payload.seq <= sub.lastSeq) continue; // already delivered (replay overlap)
    sub.lastSeq = payload.seq;
    (sub.handlers[name] as ((p: unknown) => void) | undefined)?.(payload);
  }
}

function sendSubscribe(sub: Subscription, initial = sub.lastSeq === null): void {
  if (!socket?.connected || sub.closed) return;
  const req: SubscribeRequest = { ...sub.req };
  if (sub.lastSeq !== null) req.since = sub.lastSeq;
  socket
    .timeout(10_000)
    .emitWithAck(LiveCommand.Subscribe, req)
    .then((ack: SubscribeAck) => {
      if (sub.closed) return;
      if (!ack.ok) {
        // Too many commands at once (a long replay): the same request again a little later.
        if (ack.error === 'too_many') setTimeout(() => sendSubscribe(sub, initial), 2000 + Math.random() * 2000);
        return;
      }
      // Replayed events arrive before the ack on the same connection; the ack's seq covers the rest.
      sub.lastSeq = Math.max(sub.lastSeq ?? 0, ack.seq);
      // A replay comes a page at a time: ask for the next page until the server has subscribed us.
      if (ack.more) return sendSubscribe(sub, initial);
      // The page follows live events from here (a state tests and styles can read).
      document.documentElement.dataset.live = 'on';
      sub.handlers.synced?.({ seq: ack.seq, initial });
    })
    .catch(() => {
      // No ack in time: the connection is probably going down; the next `connect` resubscribes.
    });
}

let creating: Promise<Socket> | null = null;

/**
 * The connection, created on first use. socket.io-client is fetched then, not with the page: a
 * page is readable and usable (hydrated) before its live channel opens, so on a slow link the
 * client library does not stand between the reader and the page.
 */
function ensureSocket(): Promise<Socket> {
  creating ??= import('socket.io-client').then(({ io }) => createSocket(io));
  return creating;
}

function createSocket(io: typeof import('socket.io-client').io): Socket {
  const s = io(LIVE_NAMESPACE, {
    // A function, so every (re)connect sends the token of that moment, refreshed if it is about to expire.
    auth: (cb) => {
      currentAccessToken()
        .catch(() => getAccessToken())
        .then((token) => {
          authTokenUsed = token;
          cb(token ? { token } : {});
        });
    },
    reconnectionDelay: 500,
    reconnectionDelayMax: 5000,
  });
  s.on('connect', () => {
    for (const sub of subscriptions) {
      sub.handlers.connection?.(true);
      sendSubscribe(sub);
    }
  });
  s.on('disconnect', (reason) => {
    document.documentElement.dataset.live = 'off';
    for (const sub of subscriptions) sub.handlers.connection?.(false);
    // socket.io does not reconnect by itself after the server ends the session; readers still want the live page.
    if (reason === 'io server disconnect') setTimeout(() => s.connect(), 2000 + Math.random() * 2000);
  });
  s.on('connect_error', (err) => {
    // A refused token (expired between check and handshake, or revoked): refresh once, else go on as a guest.
    const code = (err as Error & { data?: { code?: unknown } }).data?.code;
    if (code === 'unauthenticated' && authTokenUsed) {
      refreshAccessToken()
        .catch(() => null)
        .finally(() => {
          if (getAccessToken() === authTokenUsed) authTokenUsed = null;
          s.connect();
        });
    }
  });
  for (const name of SEQUENCED_EVENTS) s.on(name, (payload: { seq: number }) => dispatch(name, payload));
  // The server ended this connection's identity (token expired, or the session was signed out):
  // a fresh token, if the session still lives, restores it without reconnecting — the token
  // change below hands it to the server.
  s.on(LiveControl.SessionEnded, () => void refreshAccessToken().catch(() => undefined));
  s.on(LiveControl.SubscriptionEnded, (p: SubscriptionEndedPayload) => {
    for (const sub of subscriptions) {
      if (!sub.closed && sub.req.consultation === p.consultation && sub.req.item === p.item) sub.handlers.ended?.();
    }
  });
  s.on(PRESENCE_EVENT, (payload: PresencePayload) => {
    for (const sub of subscriptions) if (!sub.closed && sub.req.item === payload.item) sub.handlers.presence?.(payload);
  });
  // A sign-in or sign-out changes who the server thinks we are: reconnect with the new identity.
  onAccessTokenChange((token) => {
    const signedInChanged = (token === null) !== (authTokenUsed === null);
    if (signedInChanged && s.connected) {
      s.disconnect();
      s.connect();
    } else if (token && token !== authTokenUsed && s.connected) {
      // A refreshed token: the server ends an identity when its token expires, so hand it the new one.
      authTokenUsed = token;
      s.emit(LiveCommand.Authenticate, { token });
    }
  });
  socket = s;
  return s;
}

/** Follow a consultation (every event) or one item; returns the function that stops following. */
export function subscribeLive(req: { consultation: string; item?: number }, handlers: LiveHandlers): () => void {
  const sub: Subscription = { req, lastSeq: null, handlers, closed: false };
  subscriptions.add(sub);
  // A socket still connecting subscribes every open subscription on `connect`.
  void ensureSocket().then((s) => {
    if (sub.closed) return;
    if (s.connected) sendSubscribe(sub);
    else if (!s.active) s.connect();
  });
  return () => {
    sub.closed = true;
    subscriptions.delete(sub);
    const stillFollowed = [...subscriptions].some(
      (o) => o.req.consultation === req.consultation && o.req.item === req.item,
    );
    if (!stillFollowed && socket?.connected) socket.emit(LiveCommand.Unsubscribe, req);
  };
}

/** For tests and diagnostics: whether the live connection is up. */
export function isLiveConnected(): boolean {
  return socket?.connected ?? false;
}

/** Several features' handlers for one subscription (one per page): each event goes to all of them. */
export function mergeHandlers(...all: LiveHandlers[]): LiveHandlers {
  const out: Record<string, (p: any) => void> = {};
  for (const h of all) {
    for (const [name, fn] of Object.entries(h)) {
      if (!fn) continue;
      const prev = out[name];
      out[name] = prev ? (p) => (prev(p), (fn as (p: any) => void)(p)) : (fn as (p: any) => void);
    }
  }
  return out as LiveHandlers;
}

export interface PersonalHandlers {
  'notification.created'?: (payload: NotificationCreatedPayload) => void;
  /** The connection (re)opened: personal events are not replayed, so re-read what they announce. */
  connected?: () => void;
}

/**
 * Events sent only to the signed-in user's own sockets (`notification.created`). They carry no
 * seq and are never replayed, so `connected` fires on every (re)connection for the listener to
 * re-read its data. Returns the function that stops listening.
 */
export function followPersonal(handlers: PersonalHandlers): () => void {
  const onNotification = (p: NotificationCreatedPayload) => handlers['notification.created']?.(p);
  const onConnect = () => handlers.connected?.();
  let stopped = false;
  let detach = () => {};
  void ensureSocket().then((s) => {
    if (stopped) return;
    s.on(LiveEvent.NotificationCreated, onNotification);
    s.on('connect', onConnect);
    if (!s.connected && !s.active) s.connect();
    detach = () => {
      s.off(LiveEvent.NotificationCreated, onNotification);
      s.off('connect', onConnect);
    };
  });
  return () => {
    stopped = true;
    detach();
  };
}
