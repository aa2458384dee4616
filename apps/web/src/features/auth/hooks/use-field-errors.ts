import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ApiError } from '../../../lib/api-client';

export type FieldErrors = Partial<Record<string, string>>;

/**
 * Localised messages per form field, from a failed shared-schema check (before sending) or from
 * the API's 400 (which names the field).
 */
export function useFieldErrors() {
  const { t } = useTranslation();
  const message = (field: string) => {
    switch (field) {
      case 'email':
        return t('auth.errors.email');
      case 'password':
        return t('auth.errors.password');
      case 'displayName':
        return t('auth.errors.displayName');
      case 'stakeholderGroup':
        return t('auth.errors.stakeholderGroup');
      case 'organization':
        return t('auth.errors.organization');
      case 'country':
        return t('auth.errors.country');
      case 'current':
        return t('account.wrongCurrent');
      case 'next':
        return t('auth.errors.password');
      case 'token':
        return t('account.resetBadLink');
      default:
        return t('errors.badInput');
    }
  };
  const fromZod = (err: z.ZodError): FieldErrors => {
    const out: FieldErrors = {};
    for (const issue of err.issues) {
      const field = String(issue.path[0] ?? '');
      out[field] ??= message(field);
    }
    return out;
  };
  const fromApi = (err: unknown): FieldErrors => {
    if (!(err instanceof ApiError)) return {};
    const out: FieldErrors = {};
    for (const field of Object.keys(err.fieldErrors)) out[field] = message(field);
    return out;
  };
  return { fromZod, fromApi };
}

/** `next=` after sign-in: only a path on this site. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}
