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
import { InjectDataSource } from '@nestjs/typeorm';
import {
  consultationRoom,
  itemRoom,
  LIVE_NAMESPACE,
  LiveCommand,
  PRESENCE_EVENT,
  subscribeSchema,
  type PresencePayload,
  type SubscribeAck,
} from '@forum/shared';
import type { Namespace, Socket } from 'socket.io';
import type { DataSource } from 'typeorm';
import { canSeeConsultation, type AuthUser } from '../common/auth/auth-user.js';
import { TokenService } from '../common/auth/token.service.js';
import { zodMessage } from '../common/errors/http-exception.filter.js';
import { AppConfig } from '../config/app-config.js';
import { type ConsultationRef, EventRelay, type EventSink, type StoredEvent } from './event-relay.js';

/** Consultation-wide events (no item) also reach the viewers of single items. */
const wideRoom = (slug: string) => `${consultationRoom(slug)}:wide`;
/** Every socket of a signed-in user, for personal events (notifications); joined at connection, never by request. */
const userRoom = (userId: string) => `u:${userId}`;

interface SocketState {
  user: AuthUser | null;
  subscribeTimes: number[];
}

const SUBSCRIBE_LIMIT = 30; // per socket per 10 s
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
    @InjectDataSource() private readonly db: DataSource,
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
      const state: SocketState = { user: null, subscribeTimes: [] };
      socket.data = state;
      if (token === undefined || token === null || token === '') return next();
      if (typeof token !== 'string' || token.length > 4096) return next(new Error('unauthorized: invalid token'));
      this.tokens
        .verify(token)
        .then((user) => {
          if (!user) return next(new Error('unauthorized: invalid or expired token'));
          state.user = user;
          next();
        })
        .catch(() => next(new Error('unavailable')));
    });
  }

  handleConnection(socket: Socket): void {
    const user = (socket.data as SocketState).user;
    if (user) void socket.join(userRoom(user.id));
    // socket.io leaves the rooms before `disconnect`; `disconnecting` still knows them.
    socket.on('disconnecting', () => {
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

  @SubscribeMessage(LiveCommand.Subscribe)
  async subscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const state = socket.data as SocketState;
    const now = Date.now();
    state.subscribeTimes = state.subscribeTimes.filter((t) => now - t < 10_000);
    if (state.subscribeTimes.length >= SUBSCRIBE_LIMIT) return { ok: false, error: 'too_many', message: 'too many subscriptions; slow down' };
    state.subscribeTimes.push(now);

    const parsed = subscribeSchema.safeParse(body);
    if (!parsed.success) return { ok: false, error: 'bad_input', message: zodMessage(parsed.error) };
    const { consultation: slug, item, since } = parsed.data;

    const target = await this.findTarget(slug, item, state.user);
    if (!target) return { ok: false, error: 'not_found', message: item === undefined ? 'consultation not found' : 'item not found' };

    return this.relay.serialize(target.id, async () => {
      const upTo = this.relay.deliveredSeq(target.id);
      if (since !== undefined && since < upTo) {
        const missed = await this.relay.readSince(target.id, since, item ?? null, upTo);
        for (const e of missed) socket.emit(e.type, JSON.parse(e.payload));
      }
      const rooms = item === undefined ? [consultationRoom(slug)] : [itemRoom(slug, item), wideRoom(slug)];
      await socket.join(rooms);
      if (item !== undefined) this.presenceChanged(itemRoom(slug, item));
      return { ok: true, seq: upTo };
    });
  }

  @SubscribeMessage(LiveCommand.Unsubscribe)
  async unsubscribe(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<SubscribeAck> {
    const parsed = subscribeSchema.safeParse(body);
    if (!parsed.success) return { ok: false, error: 'bad_input', message: zodMessage(parsed.error) };
    const { consultation: slug, item } = parsed.data;
    if (item === undefined) {
      await socket.leave(consultationRoom(slug));
    } else {
      await socket.leave(itemRoom(slug, item));
      this.presenceChanged(itemRoom(slug, item));
      const stillOnItem = [...socket.rooms].some((r) => r.startsWith(`${consultationRoom(slug)}:i:`));
      if (!stillOnItem) await socket.leave(wideRoom(slug));
    }
    const rows: { id: string }[] = await this.db.query(`SELECT id FROM consultations WHERE slug = $1`, [slug]);
    return { ok: true, seq: rows[0] ? this.relay.deliveredSeq(rows[0].id) : 0 };
  }

  private async findTarget(slug: string, item: number | undefined, user: AuthUser | null): Promise<{ id: string } | null> {
    const rows: { id: string; status: string; has_item: boolean }[] = await this.db.query(
      `SELECT c.id, c.status, ($2::int IS NULL OR EXISTS (SELECT 1 FROM items i WHERE i.consultation_id = c.id AND i.number = $2)) AS has_item
         FROM consultations c WHERE c.slug = $1`,
      [slug, item ?? null],
    );
    const c = rows[0];
    if (!c || !c.has_item) return null;
    if (!canSeeConsultation(c.status, user)) return null;
    return c;
  }

  /** One serialisation per event and room set, however many viewers are in the rooms. */
  deliver(consultation: ConsultationRef, events: StoredEvent[]): void {
    if (!this.nsp) return;
    for (const e of events) {
      const rooms =
        e.itemNumber === null
          ? [consultationRoom(consultation.slug), wideRoom(consultation.slug)]
          : [consultationRoom(consultation.slug), itemRoom(consultation.slug, e.itemNumber)];
      // Every process relays from the outbox itself, so the emit stays local to this process.
      this.nsp.local.to(rooms).emit(e.type, JSON.parse(e.payload));
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
