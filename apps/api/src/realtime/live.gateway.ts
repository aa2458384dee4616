import { type BeforeApplicationShutdown, Logger, type OnApplicationShutdown } from '@nestjs/common';
import {
  ConnectedSocket,
  MessageBody,
  type OnGatewayConnection,
  type OnGatewayDisconnect,
  type OnGatewayInit,
  SubscribeMessage,
  WebSocketGateway,
} from '@nestjs/websockets';
import {
  authenticateSchema,
  consultationRoom,
  itemRoom,
  LIVE_NAMESPACE,
  LiveCommand,
  LiveControl,
  LiveEvent,
  PRESENCE_EVENT,
  subscribeSchema,
  type PresencePayload,
  type SessionEndedPayload,
  type SubscribeAck,
  type SubscriptionEndedPayload,
} from '@forum/shared';
import type { Namespace, Socket } from 'socket.io';
import type { ZodError } from 'zod';
import { canSeeConsultation, type AuthUser } from '../common/auth/auth-user.js';
import { TokenService } from '../common/auth/token.service.js';
import { DomainError, STATUS_OF_KIND } from '../common/errors/domain-error.js';
import { zodFields, zodMessage } from '../common/errors/http-exception.filter.js';
import { AppConfig } from '../config/app-config.js';
import { ConsultationsService } from '../modules/consultations/consultations.service.js';
import { TargetsService } from '../modules/consultations/targets.service.js';
import { type ConsultationRef, EventRelay, type EventSink } from './event-relay.js';
import type { RenderedEvent } from './event-renderer.js';

/** Consultation-wide events (no item) also reach the viewers of single items. */
const wideRoom = (slug: string) => `${consultationRoom(slug)}:wide`;
/** Every socket of a signed-in user, for personal events (notifications); joined at connection, never by request. */
const userRoom = (userId: string) => `u:${userId}`;

interface Subscription {
  consultationId: string;
  slug: string;
  item?: number;
}

interface SocketState {
  user: AuthUser | null;
  /** The access token the identity came from, re-checked whenever the account changes. */
  token: string | null;
  /** Ends the identity when the token expires. */
  expiry: NodeJS.Timeout | null;
  /** Times of the socket's recent commands, per command, for the flood limit. */
  commandTimes: Map<string, number[]>;
  /** Commands refused by the flood limit in a row; past a bound the socket is disconnected. */
  refusedInARow: number;
  subscriptions: Map<string, Subscription>;
}

/** Commands per socket per 10 s, each of subscribe, unsubscribe and authenticate. */
const COMMAND_LIMIT = 30;
const COMMAND_WINDOW_MS = 10_000;
/** A socket that goes on sending past the limit this many times is disconnected. */
const REFUSED_BEFORE_DISCONNECT = 200;
/** Events a replay sends per subscribe; the ack says whether more follow. */
export const REPLAY_PAGE = 200;
const subscriptionKey = (slug: string, item: number | undefined) => (item === undefined ? slug : `${slug}#${item}`);
const PRESENCE_INTERVAL_MS = 1000;
/** Process to process (through the adapter): "how many of your sockets are in this room?" */
const PRESENCE_COUNT = 'presence:count';
/** Process to process: "the viewers of this room changed here; count again at the end of the second". */
const PRESENCE_DIRTY = 'presence:dirty';

interface PresenceWindow {
  item: number;
  timer: NodeJS.Timeout;
  /** This process's own viewers changed in this window (so its viewers hear the count even if the total is unchanged). */
  localChange: boolean;
  /** This process told the others about its change in this window. */
  announced: boolean;
}

/**
 * The live channel: authenticates the handshake, checks subscriptions with the same rules as
 * REST, replays missed events, and maps relayed events to rooms. It holds no domain rules.
 */
@WebSocketGateway({ namespace: LIVE_NAMESPACE })
export class LiveGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, EventSink, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('LiveGateway');
  private nsp!: Namespace;
  private readonly presenceDue = new Map<string, PresenceWindow>();
  /** The count this process last sent to its viewers of a room. */
  private readonly presenceSent = new Map<string, number>();

  constructor(
    private readonly tokens: TokenService,
    private readonly relay: EventRelay,
    private readonly config: AppConfig,
    private readonly targets: TargetsService,
    private readonly consultations: ConsultationsService,
  ) {}

  afterInit(nsp: Namespace): void {
    this.nsp = nsp;
    this.relay.setSink(this);
    // Answers another process's presence count with this process's share (server-side events
    // only travel between processes through the Redis adapter; clients cannot send them).
    const serverSide = nsp as unknown as { on(ev: string, fn: (room: unknown, ack?: unknown) => void): void };
    serverSide.on(PRESENCE_COUNT, (room, ack) => {
      if (typeof room === 'string' && typeof ack === 'function') ack(this.localViewers(room));
    });
    serverSide.on(PRESENCE_DIRTY, (room) => {
      if (typeof room === 'string') this.presenceChanged(room, false);
    });
    nsp.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown } | undefined)?.token;
      const state: SocketState = { user: null, token: null, expiry: null, commandTimes: new Map(), refusedInARow: 0, subscriptions: new Map() };
      socket.data = state;
      if (token === undefined || token === null || token === '') return next();
      if (typeof token !== 'string' || token.length > 4096) return next(refusal('unauthorized: invalid token', 'unauthenticated', 401));
      this.tokens
        .verify(token)
        .then((user) => {
          if (!user) return next(refusal('unauthorized: invalid or expired token', 'unauthenticated', 401));
          state.user = user;
          state.token = token;
          next();
        })
        .catch(() => next(refusal('unavailable', 'unavailable', 503)));
    });
  }

  handleConnection(socket: Socket): void {
    const state = socket.data as SocketState;
    if (state.user) {
      void socket.join(userRoom(state.user.id));
      this.scheduleExpiry(socket);
    }
    // socket.io leaves the rooms before `disconnect`; `disconnecting` still knows them.
    socket.on('disconnecting', () => {
      if (state.expiry) clearTimeout(state.expiry);
      for (const room of socket.rooms) this.presenceChanged(room);
    });
  }

  handleDisconnect(): void {}

  /**
   * Presence is counted at most once a second per item, however many viewers come and go, and
   * each process tells only its own viewers (nsp.local). With several processes, the first change
   * of a second is announced to the others (one small message), so every process counts at the
   * end of that second and its viewers get one presence event, not one per process.
   */
  private presenceChanged(room: string, local = true): void {
    const m = /^c:([^:]+):i:(\d+)$/.exec(room);
    if (!m) return;
    let w = this.presenceDue.get(room);
    // Another process's change matters here only to this process's own viewers of the room.
    if (!w && !local && this.localViewers(room) === 0) return;
    if (!w) {
      const timer = setTimeout(() => {
        const done = this.presenceDue.get(room);
        this.presenceDue.delete(room);
        if (done) void this.emitPresence(room, done);
      }, PRESENCE_INTERVAL_MS);
      timer.unref();
      w = { item: Number(m[2]), timer, localChange: false, announced: false };
      this.presenceDue.set(room, w);
    }
    if (!local) return;
    w.localChange = true;
    if (!w.announced && this.linked()) {
      w.announced = true;
      this.nsp.serverSideEmit(PRESENCE_DIRTY, room);
    }
  }

  private async emitPresence(room: string, w: PresenceWindow): Promise<void> {
    try {
      const viewers = await this.countViewers(room);
      if (this.localViewers(room) === 0) {
        this.presenceSent.delete(room);
        return;
      }
      if (!w.localChange && this.presenceSent.get(room) === viewers) return;
      this.presenceSent.set(room, viewers);
      const payload: PresencePayload = { item: w.item, viewers };
      this.nsp.local.to(room).emit(PRESENCE_EVENT, payload);
    } catch (err) {
      this.logger.warn(`presence failed: ${(err as Error).message}`);
    }
  }

  /** Whether other processes share the rooms (REDIS_URL: the Redis adapter); otherwise this process is alone. */
  private linked(): boolean {
    return Boolean(this.config.env.REDIS_URL);
  }

  private localViewers(room: string): number {
    return this.nsp.adapter.rooms.get(room)?.size ?? 0;
  }

  /**
   * Viewers across every process: with the Redis adapter, each other process answers with one
   * number (fetchSockets would ship a description of every socket, 100,000 of them for a large
   * consultation, every second); with the in-memory adapter, this process is all there is.
   */
  async countViewers(room: string): Promise<number> {
    const local = this.localViewers(room);
    if (!this.linked()) return local;
    let others: unknown[];
    try {
      others = await this.nsp.serverSideEmitWithAck(PRESENCE_COUNT, room);
    } catch (err) {
      // A process that did not answer in time (the adapter's requestsTimeout) is left out this time.
      others = (err as { responses?: unknown[] }).responses ?? [];
    }
    return others.reduce<number>((sum, n) => sum + (typeof n === 'number' ? n : 0), local);
  }

  /**
   * The flood limit of a command, checked before anything else (no query, no allocation beyond
   * the window): a socket that keeps sending past it is disconnected, so a pipelined flood costs
   * the server little and other users nothing.
   */
  private refuseFlood(socket: Socket, command: string): SubscribeAck | null {
    const state = socket.data as SocketState;
    const now = Date.now();
    const times = (state.commandTimes.get(command) ?? []).filter((t) => now - t < COMMAND_WINDOW_MS);
    if (times.length >= COMMAND_LIMIT) {
      state.commandTimes.set(command, times);
      state.refusedInARow += 1;
      if (state.refusedInARow >= REFUSED_BEFORE_DISCONNECT) socket.disconnect(true);
      return { ok: false, error: 'too_many', code: 'too_many', statusCode: 429, message: `too many ${command} messages; slow down` };
    }
    state.refusedInARow = 0;
    times.push(now);
    state.commandTimes.set(command, times);
    return null;
  }

  @SubscribeMessage(LiveCommand.Subscribe)
  async subscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const refused = this.refuseFlood(socket, LiveCommand.Subscribe);
    if (refused) return refused;
    const state = socket.data as SocketState;

    const parsed = subscribeSchema.safeParse(body);
    if (!parsed.success) return badInputAck(parsed.error);
    const { consultation: slug, item, since } = parsed.data;

    // The same rule as every REST read: the consultation visible to this identity, the item.
    let target: { id: string };
    try {
      target = (await this.targets.readableTarget({ slug }, item === undefined ? {} : { item }, state.user)).consultation;
    } catch (err) {
      if (err instanceof DomainError) return domainErrorAck(err);
      throw err;
    }

    return this.relay.serialize(target.id, async () => {
      const rooms = item === undefined ? [consultationRoom(slug)] : [itemRoom(slug, item), wideRoom(slug)];
      const upTo = this.relay.deliveredSeq(target.id);
      if (since !== undefined && since < upTo) {
        // Rendered for this socket's identity as it is now, through the same gate as live delivery.
        const page = await this.relay.readSince(target.id, since, item ?? null, upTo, REPLAY_PAGE, state.user ?? undefined);
        for (const e of page.events) socket.emit(e.type, e.payload);
        if (page.more) {
          // Not subscribed until caught up: live events must not overtake the pages still to come.
          this.leaveSubscription(socket, slug, item);
          return { ok: true, seq: page.upTo, more: true };
        }
      }
      await socket.join(rooms);
      state.subscriptions.set(subscriptionKey(slug, item), { consultationId: target.id, slug, ...(item === undefined ? {} : { item }) });
      if (item !== undefined) this.presenceChanged(itemRoom(slug, item));
      return { ok: true, seq: upTo };
    });
  }

  @SubscribeMessage(LiveCommand.Unsubscribe)
  async unsubscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const refused = this.refuseFlood(socket, LiveCommand.Unsubscribe);
    if (refused) return refused;
    const parsed = subscribeSchema.safeParse(body);
    if (!parsed.success) return badInputAck(parsed.error);
    const { consultation: slug, item } = parsed.data;
    const sub = (socket.data as SocketState).subscriptions.get(subscriptionKey(slug, item));
    this.leaveSubscription(socket, slug, item);
    return { ok: true, seq: sub ? this.relay.deliveredSeq(sub.consultationId) : 0 };
  }

  /**
   * `{token}`: the socket takes that identity now — after the web client refreshed an expiring
   * token, or signed in — and `{token: null}` makes it a guest. What it follows is checked again
   * against the new identity.
   */
  @SubscribeMessage(LiveCommand.Authenticate)
  async authenticate(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const refused = this.refuseFlood(socket, LiveCommand.Authenticate);
    if (refused) return refused;
    const parsed = authenticateSchema.safeParse(body);
    if (!parsed.success) return badInputAck(parsed.error);
    const { token } = parsed.data;
    const user = token === null ? null : await this.tokens.verify(token);
    if (token !== null && !user) {
      await this.becomeGuest(socket, 'signed_out', false);
      return { ok: false, error: 'unauthenticated', code: 'unauthenticated', statusCode: 401, message: 'invalid or expired token; you are a guest on this connection' };
    }
    await this.setIdentity(socket, user, token);
    return { ok: true, seq: 0 };
  }

  /** The account changed (role, suspension, verification, a session revoked): its sockets here follow at once. */
  accountChanged(userId: string): void {
    if (!this.nsp) return;
    for (const socket of this.nsp.sockets.values()) {
      const state = socket.data as SocketState;
      if (state.user?.id !== userId || !state.token) continue;
      const token = state.token;
      void this.tokens
        .verify(token)
        .then(async (user) => {
          if (state.token !== token) return; // re-authenticated meanwhile
          if (!user) await this.becomeGuest(socket, 'signed_out', true);
          else await this.setIdentity(socket, user, token);
        })
        .catch((err) => this.logger.warn(`re-check of a socket failed: ${(err as Error).message}`));
    }
  }

  private async setIdentity(socket: Socket, user: AuthUser | null, token: string | null): Promise<void> {
    const state = socket.data as SocketState;
    if (state.user && state.user.id !== user?.id) await socket.leave(userRoom(state.user.id));
    state.user = user;
    state.token = user ? token : null;
    if (user) await socket.join(userRoom(user.id));
    this.scheduleExpiry(socket);
    await this.recheckSubscriptions(socket);
  }

  /** The socket loses its identity: no personal events, and only what a guest may follow. */
  private async becomeGuest(socket: Socket, reason: SessionEndedPayload['reason'], tell: boolean): Promise<void> {
    const state = socket.data as SocketState;
    const had = state.user !== null;
    await this.setIdentity(socket, null, null);
    if (had && tell) socket.emit(LiveControl.SessionEnded, { reason } satisfies SessionEndedPayload);
  }

  /** Ends the identity when the access token expires; the client answers with `authenticate` and a fresh token. */
  private scheduleExpiry(socket: Socket): void {
    const state = socket.data as SocketState;
    if (state.expiry) clearTimeout(state.expiry);
    state.expiry = null;
    const exp = state.token ? expiryOf(state.token) : null;
    if (exp === null) return;
    const token = state.token;
    // setTimeout holds at most ~24.8 days; a token lives minutes.
    const delay = Math.min(Math.max(0, exp * 1000 - Date.now()), 2 ** 31 - 1);
    state.expiry = setTimeout(() => {
      if (state.token === token) void this.becomeGuest(socket, 'expired', true);
    }, delay);
    state.expiry.unref();
  }

  /** Leaves every subscription the socket's identity no longer allows (a draft, for anyone but an administrator). */
  private async recheckSubscriptions(socket: Socket): Promise<void> {
    const state = socket.data as SocketState;
    if (state.subscriptions.size === 0) return;
    const ids = [...new Set([...state.subscriptions.values()].map((s) => s.consultationId))];
    const status = await this.consultations.statuses(ids);
    for (const sub of [...state.subscriptions.values()]) {
      const s = status.get(sub.consultationId);
      if (s !== undefined && canSeeConsultation(s, state.user)) continue;
      this.endSubscription(socket, sub);
    }
  }

  private endSubscription(socket: Socket, sub: Subscription): void {
    this.leaveSubscription(socket, sub.slug, sub.item);
    const payload: SubscriptionEndedPayload = { consultation: sub.slug, ...(sub.item === undefined ? {} : { item: sub.item }), reason: 'not_found' };
    socket.emit(LiveControl.SubscriptionEnded, payload);
  }

  /** Synchronous: the adapters (in-memory and Redis) leave a room of this process at once, so no later emit reaches the socket. */
  private leaveSubscription(socket: Socket, slug: string, item: number | undefined): void {
    (socket.data as SocketState).subscriptions.delete(subscriptionKey(slug, item));
    if (item === undefined) {
      void socket.leave(consultationRoom(slug));
    } else {
      void socket.leave(itemRoom(slug, item));
      this.presenceChanged(itemRoom(slug, item));
      const stillOnItem = [...socket.rooms].some((r) => r.startsWith(`${consultationRoom(slug)}:i:`));
      if (!stillOnItem) void socket.leave(wideRoom(slug));
    }
  }

  /** A consultation went back to draft: every socket here that may not see a draft stops following it, before any later event. */
  private evictFromDraft(consultationId: string): void {
    for (const socket of this.nsp.sockets.values()) {
      const state = socket.data as SocketState;
      if (canSeeConsultation('draft', state.user)) continue;
      for (const sub of [...state.subscriptions.values()]) {
        if (sub.consultationId === consultationId) this.endSubscription(socket, sub);
      }
    }
  }

  /** One serialisation per event and room set, however many viewers are in the rooms. */
  deliver(consultation: ConsultationRef, events: RenderedEvent[]): void {
    if (!this.nsp) return;
    for (const e of events) {
      const rooms =
        e.itemNumber === null
          ? [consultationRoom(consultation.slug), wideRoom(consultation.slug)]
          : [consultationRoom(consultation.slug), itemRoom(consultation.slug, e.itemNumber)];
      // Every process relays from the outbox itself, so the emit stays local to this process.
      this.nsp.local.to(rooms).emit(e.type, e.payload);
      // Leaving a room is synchronous with the in-memory adapter of this process, so no later event reaches an evicted socket.
      if (e.type === LiveEvent.ConsultationUpdated && e.payload.status === 'draft') this.evictFromDraft(consultation.id);
    }
  }

  /** A personal event: only to the sockets of that user in this process (every process relays it itself). */
  deliverToUser(userId: string, type: string, payload: string): void {
    if (!this.nsp) return;
    this.nsp.local.to(userRoom(userId)).emit(type, JSON.parse(payload));
  }

  /**
   * Shutdown: closes every socket's transport, which socket.io-client answers by reconnecting —
   * to another process, or to this one's successor — and subscribing again with `since`.
   * (A server-side `disconnect()` would read "io server disconnect" and stay disconnected.)
   * main.ts calls it once the server has stopped listening; app.close() calls it otherwise.
   */
  sendViewersAway(): number {
    if (!this.nsp) return 0;
    let n = 0;
    for (const socket of this.nsp.sockets.values()) {
      socket.conn.close();
      n += 1;
    }
    return n;
  }

  beforeApplicationShutdown(): void {
    this.sendViewersAway();
  }

  onApplicationShutdown(): void {
    for (const p of this.presenceDue.values()) clearTimeout(p.timer);
    this.presenceDue.clear();
    this.presenceSent.clear();
  }
}

/** A command that failed the shared schema: 400 with each field's problem, as the HTTP filter answers. */
function badInputAck(err: ZodError): SubscribeAck {
  return { ok: false, error: 'bad_input', code: 'bad_input', statusCode: 400, message: zodMessage(err), fields: zodFields(err) };
}

/** A domain error as an ack: the same code, status, message and fields as over HTTP. */
function domainErrorAck(err: DomainError): SubscribeAck {
  return { ok: false, error: err.kind, code: err.kind, statusCode: STATUS_OF_KIND[err.kind], message: err.message, fields: err.fields };
}

/** A refused handshake: socket.io hands `data` to the client's connect_error, so clients read the code, not the message. */
function refusal(message: string, code: string, statusCode: number): Error {
  return Object.assign(new Error(message), { data: { code, statusCode, fields: {} } });
}

/** The `exp` claim (seconds) of a token the TokenService has already verified. */
function expiryOf(token: string): number | null {
  try {
    const claims = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8')) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : null;
  } catch {
    return null;
  }
}
