import type { ConsultationSummary, ConsultationView, ItemView } from '@forum/shared';
import type { ClauseRow, ConsultationRow, ItemRow } from './consultations.repository.js';

export function toConsultationSummary(c: ConsultationRow): ConsultationSummary {
  return {
    slug: c.slug,
    title: { zh: c.title_zh, en: c.title_en },
    status: c.status,
    opensAt: c.opens_at ? new Date(c.opens_at).toISOString() : null,
    closesAt: c.closes_at ? new Date(c.closes_at).toISOString() : null,
  };
}

export function toConsultationView(c: ConsultationRow, items: ItemRow[], clauses: ClauseRow[]): ConsultationView {
  const byItem = new Map<number, ItemView>();
  const views = items.map((i): ItemView => {
    const v: ItemView = { number: i.number, title: { zh: i.title_zh, en: i.title_en }, locked: i.locked, commentCount: i.comment_count, clauses: [] };
    byItem.set(i.number, v);
    return v;
  });
  for (const cl of clauses) {
    // commentCount: visible comments only (see ConsultationsRepository.findItems / findClauses).
    byItem.get(cl.item_number)?.clauses.push({ key: cl.key, paragraph: cl.paragraph, text: { zh: cl.text_zh, en: cl.text_en }, commentCount: cl.comment_count });
  }
  return { ...toConsultationSummary(c), source: { zh: c.source_zh, en: c.source_en }, items: views };
}
