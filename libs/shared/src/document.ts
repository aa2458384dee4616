import type { ConsultationStatus, Language } from './vocabulary.js';

export type LocalizedText = Record<Language, string>;

export interface ClauseView {
  key: string;
  /** Paragraph of the item the clause belongs to (0-based); clauses of one paragraph join with no separator, paragraphs with a blank line. */
  paragraph: number;
  text: LocalizedText;
  /** Visible comments anchored to this clause (quotes in it and replies in its threads included; hidden and deleted ones not counted). */
  commentCount: number;
}

export interface ItemView {
  number: number;
  title: LocalizedText;
  locked: boolean;
  /** Visible comments in the item's thread, whatever their anchor (hidden and deleted ones not counted). */
  commentCount: number;
  clauses: ClauseView[];
}

export interface ConsultationSummary {
  slug: string;
  title: LocalizedText;
  status: ConsultationStatus;
  opensAt: string | null;
  closesAt: string | null;
}

export interface ConsultationView extends ConsultationSummary {
  source: LocalizedText;
  items: ItemView[];
}

/**
 * Every error answer of the API (and, with `ok: false`, every refused live command's ack):
 * `code` is a stable word per kind of error (`bad_input`, `not_found`, `locked`, …); `fields`
 * maps each request field the error is about to its problem, for a form to show beside the
 * field — clients read these, never the message's wording.
 */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  error: string;
  fields: Record<string, string>;
}
