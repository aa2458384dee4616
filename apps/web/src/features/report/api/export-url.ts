import type { ExportQuery } from '@forum/shared';

/** The address of a download (GET /api/consultations/:slug/export): a plain link, the API sends it as an attachment. */
export function exportUrl(slug: string, format: ExportQuery['format'], data: ExportQuery['data']): string {
  const params = new URLSearchParams({ format, data });
  return `/api/consultations/${encodeURIComponent(slug)}/export?${params.toString()}`;
}
