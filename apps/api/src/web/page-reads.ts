import type { INestApplication } from '@nestjs/common';
import { COMMENTS_PAGE_DEFAULT, slugSchema } from '@forum/shared';
import { notFound } from '../common/errors/domain-error.js';
import { toHttpError } from '../common/errors/http-exception.filter.js';
import { ConsultationsService } from '../modules/consultations/consultations.service.js';
import { DiscussionService } from '../modules/discussion/discussion.service.js';
import { TallyService } from '../modules/positions/tally.service.js';

/** What the server-rendered pages read (see apps/web/src/entry-server.tsx, ServerReads): each as GET /api/… answers a guest. */
export interface PageReads {
  consultations(): Promise<unknown>;
  consultation(slug: string): Promise<unknown>;
  consultationTally(slug: string, verified: 'verified' | 'any'): Promise<unknown>;
  itemTally(slug: string, item: number): Promise<unknown>;
  comments(slug: string, item: number, cursor: string | null): Promise<unknown>;
}

/** The renderer's error type for a refused read: the status and body the API would have answered. */
export type RefusalType = new (status: number, body: unknown) => Error;

/**
 * The API's own services, called in-process as a guest (a page request carries no access token:
 * the refresh cookie is limited to /api/auth). Results go through JSON as an HTTP answer would, so
 * the page renders exactly what the browser would later fetch; a refusal carries the answer's
 * status and body (`{statusCode, code, message, error, fields}`).
 */
export function pageReads(app: INestApplication, Refused: RefusalType): PageReads {
  const consultations = app.get(ConsultationsService, { strict: false });
  const discussion = app.get(DiscussionService, { strict: false });
  const tallies = app.get(TallyService, { strict: false });
  const guest = undefined;
  const asAnswer = async (read: () => Promise<unknown>): Promise<unknown> => {
    try {
      return JSON.parse(JSON.stringify(await read())) as unknown;
    } catch (err) {
      const out = toHttpError(err);
      throw new Refused(out.statusCode, out);
    }
  };
  // A slug the API's validation would refuse names no consultation: for a page, that is "not found".
  const checked = (slug: string) => {
    if (!slugSchema.safeParse(slug).success) throw notFound('consultation');
    return slug;
  };
  return {
    consultations: () => asAnswer(() => consultations.list(guest)),
    consultation: (slug) => asAnswer(() => consultations.get(checked(slug), guest)),
    consultationTally: (slug, verified) => asAnswer(() => tallies.consultationTally(checked(slug), verified, guest)),
    itemTally: (slug, item) => asAnswer(() => tallies.itemTally(checked(slug), item, undefined, 'verified', guest)),
    comments: (slug, item, cursor) =>
      asAnswer(() => discussion.list(checked(slug), item, { limit: COMMENTS_PAGE_DEFAULT, ...(cursor ? { cursor } : {}) }, guest)),
  };
}
