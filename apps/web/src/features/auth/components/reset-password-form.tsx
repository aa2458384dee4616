import { PASSWORD_MIN, passwordResetSchema } from '@forum/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { ApiError } from '../../../lib/api-client';
import { useResetPassword } from '../api/reset-password';
import { useFieldErrors, type FieldErrors } from '../hooks/use-field-errors';
import { Field } from './field';

/** A new password through a one-time link (its token comes from the page's address). */
export function ResetPasswordForm({ token }: { token: string | null }) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const reset = useResetPassword();
  const fe = useFieldErrors();

  if (!token) {
    return (
      <p className="notice notice-error" role="alert">
        {t('account.resetNoToken')}
      </p>
    );
  }
  if (reset.isSuccess) {
    return (
      <div className="notice" role="status">
        <p>{t('account.resetDone')}</p>
        <p>
          <Link to="/login">{t('account.signInNow')}</Link>
        </p>
      </div>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = passwordResetSchema.safeParse({ token, password });
    if (!parsed.success) return setErrors(fe.fromZod(parsed.error));
    setErrors({});
    reset.mutate(parsed.data, { onError: (err) => setErrors(fe.fromApi(err)) });
  };
  const apiFieldError = reset.error instanceof ApiError && reset.error.status === 400;

  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field label={t('account.newPassword')} hint={t('auth.passwordHint', { min: PASSWORD_MIN })} error={errors.password}>
        {({ id, describedBy, invalid }) => (
          <input id={id} type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} required />
        )}
      </Field>
      {errors.token ? (
        <p className="notice notice-error" role="alert">
          {errors.token}
        </p>
      ) : null}
      {reset.isError && !apiFieldError ? <ErrorNotice error={reset.error} /> : null}
      <div className="actions">
        <button type="submit" disabled={reset.isPending}>
          {reset.isPending ? t('common.sending') : t('account.resetSubmit')}
        </button>
      </div>
    </form>
  );
}
