import { COMMENT_BODY_MAX } from '@forum/shared';
import { forwardRef, useId, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../components/ui/error-notice';

interface ComposerProps {
  label: string;
  submitLabel: string;
  initial?: string;
  anchor?: ReactNode;
  pending: boolean;
  error: unknown;
  onSubmit: (body: string) => Promise<unknown>;
  onCancel?: () => void;
  disabled?: boolean;
}

/** The shared schema (and zod with it) loads when a comment is first sent, not with the page: readers who never write never fetch it. */
const loadBodySchema = () => import('../comment-body-schema').then((m) => m.commentBodySchema);

/** A Markdown text box checked with the shared body schema before it is sent. */
export const Composer = forwardRef<HTMLTextAreaElement, ComposerProps>(function Composer(
  { label, submitLabel, initial = '', anchor, pending, error, onSubmit, onCancel, disabled },
  ref,
) {
  const { t } = useTranslation();
  const [body, setBody] = useState(initial);
  const [problem, setProblem] = useState<string | null>(null);
  const id = useId();

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = (await loadBodySchema()).safeParse(body);
    if (!parsed.success) {
      setProblem(body.length > COMMENT_BODY_MAX ? t('discussion.tooLong', { max: COMMENT_BODY_MAX }) : t('discussion.empty'));
      return;
    }
    setProblem(null);
    try {
      await onSubmit(body);
      setBody('');
    } catch {
      /* shown through `error` */
    }
  };

  return (
    <form className="composer" onSubmit={submit} noValidate>
      <label htmlFor={id}>{label}</label>
      {anchor}
      <textarea
        id={id}
        ref={ref}
        rows={4}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        aria-invalid={problem ? true : undefined}
        aria-describedby={`${id}-hint`}
        disabled={disabled}
      />
      <p id={`${id}-hint`} className="hint">
        {t('discussion.markdownHint')} · {t('discussion.chars', { n: body.length, max: COMMENT_BODY_MAX })}
      </p>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
      {error ? <ErrorNotice error={error} /> : null}
      <div className="actions">
        <button type="submit" disabled={pending || disabled}>
          {pending ? t('common.sending') : submitLabel}
        </button>
        {onCancel ? (
          <button type="button" className="button-secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        ) : null}
      </div>
    </form>
  );
});
