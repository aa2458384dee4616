import { changePasswordSchema, PASSWORD_MIN } from '@forum/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { ApiError } from '../../../lib/api-client';
import { useChangePassword } from '../api/change-password';
import { useFieldErrors, type FieldErrors } from '../hooks/use-field-errors';
import { Field } from './field';

/** The participant's own password: the current one, then the new one; other sessions are signed out. */
export function ChangePasswordForm() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const [done, setDone] = useState(false);
  const change = useChangePassword();
  const fe = useFieldErrors();

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setDone(false);
    const parsed = changePasswordSchema.safeParse({ current, next });
    if (!parsed.success) return setErrors(fe.fromZod(parsed.error));
    if (parsed.data.current === parsed.data.next) return setErrors({ next: t('account.samePassword') });
    setErrors({});
    change.mutate(parsed.data, {
      onSuccess: () => {
        setDone(true);
        setCurrent('');
        setNext('');
      },
      onError: (err) => setErrors(fe.fromApi(err)),
    });
  };
  const fieldError = change.error instanceof ApiError && change.error.status === 400;

  return (
    <section aria-labelledby="change-password">
      <h2 id="change-password">{t('account.changePasswordTitle')}</h2>
      <form className="form" onSubmit={submit} noValidate>
        <Field label={t('account.currentPassword')} error={errors.current}>
          {({ id, describedBy, invalid }) => (
            <input id={id} type="password" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} required />
          )}
        </Field>
        <Field label={t('account.newPassword')} hint={t('account.newPasswordHint', { min: PASSWORD_MIN })} error={errors.next}>
          {({ id, describedBy, invalid }) => (
            <input id={id} type="password" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} required />
          )}
        </Field>
        {change.isError && !fieldError ? <ErrorNotice error={change.error} /> : null}
        {done ? (
          <p className="notice" role="status">
            {t('account.passwordChanged')}
          </p>
        ) : null}
        <div className="actions">
          <button type="submit" disabled={change.isPending}>
            {change.isPending ? t('common.sending') : t('account.changePassword')}
          </button>
        </div>
      </form>
    </section>
  );
}
