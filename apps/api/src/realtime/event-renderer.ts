import { Injectable, Logger } from '@nestjs/common';
import type { CommentView } from '@forum/shared';
import type { CommentViewer } from '../modules/discussion/comment-visibility.js';
import { DiscussionService, type RowReader } from '../modules/discussion/discussion.service.js';

/** An event as the outbox keeps it: the payload as stored (JSON text, `seq` included). */
export interface StoredEvent {
  seq: number;
  itemNumber: number | null;
  type: string;
  payload: string;
}

/** An event as a viewer receives it. */
export interface RenderedEvent {
  seq: number;
  itemNumber: number | null;
  type: string;
  payload: { seq: number } & Record<string, unknown>;
}

const COMMENT_EVENT = /^comment\./;

/**
 * The one way out of the outbox to a person, live and by replay alike. Comment events are
 * stored with the comment's id only; here each gets the comment as the audience may see it at
 * this moment — through DiscussionService and so through THE visibility rule
 * (comment-visibility.ts) — so a text hidden or deleted after its event was written is in no
 * delivery and no replay, and a restore brings it back. Other events carry no text of anyone's.
 */
@Injectable()
export class EventRenderer {
  private readonly logger = new Logger('EventRenderer');

  constructor(private readonly discussion: DiscussionService) {}

  async render(events: StoredEvent[], audience: CommentViewer, read?: RowReader): Promise<RenderedEvent[]> {
    const parsed = events.map((e) => ({ ...e, body: JSON.parse(e.payload) as { seq: number } & Record<string, unknown> }));
    const ids = parsed.filter((e) => COMMENT_EVENT.test(e.type)).map((e) => commentIdOf(e.body)).filter((id): id is number => id !== null);
    const views: Map<number, CommentView> = ids.length > 0 ? await this.discussion.findViews(ids, audience, read) : new Map();
    const out: RenderedEvent[] = [];
    for (const e of parsed) {
      if (!COMMENT_EVENT.test(e.type)) {
        out.push({ seq: e.seq, itemNumber: e.itemNumber, type: e.type, payload: e.body });
        continue;
      }
      const id = commentIdOf(e.body);
      const comment = id === null ? undefined : views.get(id);
      if (!comment) {
        // Comments are never removed from the table; an event without one is a bug to see, not to send.
        this.logger.warn(`event ${e.seq} (${e.type}) names no comment that exists; not sent`);
        continue;
      }
      out.push({ seq: e.seq, itemNumber: e.itemNumber, type: e.type, payload: { seq: e.body.seq, comment } });
    }
    return out;
  }
}

function commentIdOf(body: Record<string, unknown>): number | null {
  const id = body.commentId;
  return typeof id === 'number' && Number.isSafeInteger(id) ? id : null;
}
