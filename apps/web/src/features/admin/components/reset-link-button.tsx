import type { UserView } from '@forum/shared';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { formatDateTime } from '../../../lib/format';
import { useIssueResetLink } from '../api/issue-reset-link';

/**
 * Creates a one-time password-reset link for a participant and shows it this once, with a copy
 * button: the forum keeps only its hash, so closing the panel loses it (a new one replaces it).
 */
export function ResetLinkButton({ user }: { user: UserView }) {
  const { t, i18n } = useTranslation();
  const issue = useIssueResetLink();
  const [copied, setCopied] = useState(false);
  const fieldId = useId();
  const link = issue.data;

  const copy = async () => {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link.url);
      setCopied(true);
    } catch {
      // no clipboard (an insecure origin, a denied permission): select the text for a manual copy
      (document.getElementById(fieldId) as HTMLInputElement | null)?.select();
    }
  };

  if (link) {
    return (
      <div className="reset-link" role="group" aria-label={t('account.resetLinkLabel', { name: user.displayName })}>
        <p className="hint">{t('account.resetLinkShownOnce', { name: user.displayName, until: formatDateTime(link.expiresAt, i18n.resolvedLanguage ?? 'zh') })}</p>
        <label htmlFor={fieldId} className="visually-hidden">
          {t('account.resetLinkLabel', { name: user.displayName })}
        </label>
        <input id={fieldId} readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} data-testid={`reset-link-${user.email}`} />
        <div className="actions">
          <button type="button" onClick={() => void copy()}>
            {copied ? t('account.copied') : t('account.copy')}
          </button>
          <button
            type="button"
            className="button-secondary"
            onClick={() => {
              issue.reset();
              setCopied(false);
            }}
          >
            {t('account.close')}
          </button>
        </div>
      </div>
    );
  }
  return (
    <>
      <button type="button" className="button-secondary" disabled={issue.isPending} aria-label={t('account.resetLinkFor', { name: user.displayName })} onClick={() => issue.mutate(user.id)}>
        {t('account.resetLink')}
      </button>
      {issue.isError ? <ErrorNotice error={issue.error} /> : null}
    </>
  );
}
