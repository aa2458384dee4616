import { Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import pg from 'pg';
import type { DataSource } from 'typeorm';
import { DatabaseUrl } from '../database/database-url.js';
import type { CommentViewer } from '../modules/discussion/comment-visibility.js';
import { EventRenderer, type RenderedEvent } from './event-renderer.js';

export interface ConsultationRef {
  id: string;
  slug: string;
}

/** Where the relay delivers events; the gateway implements it (domain code never sees it). */
export interface EventSink {
  /** Committed events, in seq order, rendered for everyone (the rooms share one copy). */
  deliver(consultation: ConsultationRef, events: RenderedEvent[]): void;
  /** A personal event (user_events): to that user's sockets only; `payload` is JSON text, sent as is. */
  deliverToUser(userId: string, type: string, payload: string): void;
  /** An account's role, suspension, verification or sessions changed: its open sockets must follow. */
  accountChanged(userId: string): void;
}

/** A page of a replay: the events after `since`, at most a page of them, and whether more follow. */
export interface ReplayPage {
  events: RenderedEvent[];
  /** The last seq the page covers (events the subscription does not cover count as covered). */
  upTo: number;
  more: boolean;
}

const BATCH = 500;
/** NOTIFY channel of personal events (migrations/1764300400000-create-moderation.ts). */
const USER_EVENTS_CHANNEL = 'forum_user_events';
/** NOTIFY channel of account changes (role, suspension, verification, sessions revoked). */
const ACCOUNTS_CHANNEL = 'forum_accounts';

/**
 * Relays committed events from the outbox to this process's viewers, in `seq` order, once each.
 * It LISTENs for the commit-time NOTIFY of the events trigger and reads what it has not yet
 * delivered, so an event committed by any process — or by one that died before it could
 * broadcast — reaches the viewers of every process. Work per consultation runs in one queue,
 * which subscriptions share so that a replay and the live stream never overlap.
 */
@Injectable()
export class EventRelay implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('EventRelay');
  private listener: pg.Client | null = null;
  private sink: EventSink | null = null;
  private readonly delivered = new Map<string, number>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly slugs = new Map<string, string>();
  private readonly pending = new Set<string>();
  private stopping = false;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private sweepTimer: NodeJS.Timeout | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly dbUrl: DatabaseUrl,
    private readonly renderer: EventRenderer,
  ) {}

  async onModuleInit(): Promise<void> {
    const rows: { id: string; slug: string; last_seq: string }[] = await this.db.query(`SELECT id, slug, last_seq FROM consultations`);
    for (const r of rows) {
      this.slugs.set(r.id, r.slug);
      this.delivered.set(r.id, Number(r.last_seq));
    }
    await this.connect();
    // A safety net for a notification lost while the listening connection was being replaced.
    this.sweepTimer = setInterval(() => this.sweep(), 2000);
    this.sweepTimer.unref();
  }

  setSink(sink: EventSink): void {
    this.sink = sink;
  }

  /** The last seq this process has delivered for a consultation. */
  deliveredSeq(consultationId: string): number {
    return this.delivered.get(consultationId) ?? 0;
  }

  /** Runs `task` in the consultation's queue, after every delivery already scheduled. */
  serialize<T>(consultationId: string, task: () => Promise<T>): Promise<T> {
    const prev = this.queues.get(consultationId) ?? Promise.resolve();
    const next = prev.then(task, task);
    const settled = next.catch(() => undefined);
    this.queues.set(consultationId, settled);
    void settled.then(() => {
      if (this.queues.get(consultationId) === settled) this.queues.delete(consultationId);
    });
    return next;
  }

  /**
   * One page of the events after `since` (up to `upTo`) that a subscription covers (an item, or
   * the whole consultation), rendered for `audience` as it stands now: a replay passes the same
   * gate as live delivery.
   */
  async readSince(
    consultationId: string,
    since: number,
    item: number | null,
    upTo: number,
    limit: number,
    audience: CommentViewer,
  ): Promise<ReplayPage> {
    const rows: { seq: string; item_number: number | null; type: string; payload: string }[] = await this.db.query(
      `SELECT seq, item_number, type, payload::text AS payload FROM events
        WHERE consultation_id = $1 AND seq > $2 AND seq <= $3 AND ($4::int IS NULL OR item_number = $4 OR item_number IS NULL)
        ORDER BY seq LIMIT $5`,
      [consultationId, since, upTo, item, limit + 1],
    );
    const more = rows.length > limit;
    const page = rows.slice(0, limit).map((r) => ({ seq: Number(r.seq), itemNumber: r.item_number, type: r.type, payload: r.payload }));
    return {
      events: await this.renderer.render(page, audience),
      upTo: more ? page[page.length - 1]!.seq : upTo,
      more,
    };
  }

  /** Called when a consultation has new committed events. */
  kick(consultationId: string): void {
    if (this.pending.has(consultationId)) return;
    this.pending.add(consultationId);
    void this.serialize(consultationId, async () => {
      this.pending.delete(consultationId);
      await this.drain(consultationId);
    }).catch((err) => this.logger.warn(`relay of ${consultationId} failed: ${(err as Error).message}`));
  }

  private async drain(consultationId: string): Promise<void> {
    let slug = this.slugs.get(consultationId);
    if (!slug) {
      const rows: { slug: string }[] = await this.db.query(`SELECT slug FROM consultations WHERE id = $1`, [consultationId]);
      if (!rows[0]) return;
      slug = rows[0].slug;
      this.slugs.set(consultationId, slug);
    }
    for (;;) {
      const after = this.delivered.get(consultationId) ?? 0;
      const rows = await this.read<{ seq: string; item_number: number | null; type: string; payload: string }>(
        `SELECT seq, item_number, type, payload::text AS payload FROM events
          WHERE consultation_id = $1 AND seq > $2 ORDER BY seq LIMIT ${BATCH}`,
        [consultationId, after],
      );
      if (rows.length === 0) return;
      const stored = rows.map((r) => ({ seq: Number(r.seq), itemNumber: r.item_number, type: r.type, payload: r.payload }));
      // Rendered now, for everyone: the comment as it stands at delivery passes the visibility rule.
      const events = await this.renderer.render(stored, 'public', (sql, params) => this.read(sql, params));
      this.delivered.set(consultationId, stored[stored.length - 1]!.seq);
      this.sink?.deliver({ id: consultationId, slug }, events);
      if (rows.length < BATCH) return;
    }
  }

  /**
   * A personal event, announced on commit by the user_events trigger. Personal events are a
   * courtesy beside a stored truth (a notification row the client re-reads when it reconnects),
   * so there is no seq and no replay: one read by id, one local emit to the user's room.
   */
  private async relayUserEvent(id: string): Promise<void> {
    if (!/^\d{1,19}$/.test(id)) return;
    try {
      const rows = await this.read<{ user_id: string; type: string; payload: string }>(
        `SELECT user_id, type, payload::text AS payload FROM user_events WHERE id = $1`,
        [id],
      );
      const e = rows[0];
      if (e) this.sink?.deliverToUser(e.user_id, e.type, e.payload);
    } catch (err) {
      this.logger.warn(`relay of user event ${id} failed: ${(err as Error).message}`);
    }
  }

  /**
   * The relay's reads go over its own listening connection while it is up: under load every
   * pooled connection is busy with requests, and a relay read queued behind them would hold up
   * delivery to every viewer. The pool serves while the listener is being replaced.
   */
  private async read<T>(sql: string, params: unknown[]): Promise<T[]> {
    const l = this.listener;
    if (l) return (await l.query(sql, params)).rows as T[];
    return this.db.query(sql, params);
  }

  private async sweep(): Promise<void> {
    if (this.stopping) return;
    try {
      const rows = await this.read<{ id: string; last_seq: string }>(`SELECT id, last_seq FROM consultations`, []);
      for (const r of rows) if (Number(r.last_seq) > (this.delivered.get(r.id) ?? 0)) this.kick(r.id);
    } catch {
      // the database is away; the next sweep tries again
    }
  }

  private async connect(): Promise<void> {
    if (this.stopping) return;
    const client = new pg.Client({ connectionString: this.dbUrl.url, application_name: 'consultation-forum-relay' });
    client.on('notification', (msg) => {
      if (msg.channel === 'forum_events' && msg.payload) this.kick(msg.payload);
      if (msg.channel === USER_EVENTS_CHANNEL && msg.payload) void this.relayUserEvent(msg.payload);
      if (msg.channel === ACCOUNTS_CHANNEL && msg.payload && /^[0-9a-f-]{36}$/i.test(msg.payload)) this.sink?.accountChanged(msg.payload);
    });
    const retry = () => {
      if (this.listener === client) this.listener = null;
      client.removeAllListeners('error');
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      if (this.stopping || this.reconnectTimer) return;
      this.reconnectTimer = setTimeout(() => {
        this.reconnectTimer = null;
        void this.connect();
      }, 500);
    };
    client.on('error', retry);
    client.on('end', retry);
    try {
      await client.connect();
      await client.query('LISTEN forum_events');
      await client.query(`LISTEN ${USER_EVENTS_CHANNEL}`);
      await client.query(`LISTEN ${ACCOUNTS_CHANNEL}`);
      this.listener = client;
      void this.sweep();
    } catch (err) {
      this.logger.warn(`cannot listen for events yet: ${(err as Error).message}`);
      retry();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    if (this.sweepTimer) clearInterval(this.sweepTimer);
    const l = this.listener;
    this.listener = null;
    if (l) await l.end().catch(() => undefined);
  }
}
