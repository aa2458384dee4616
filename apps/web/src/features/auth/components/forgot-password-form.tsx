import { passwordResetRequestSchema } from '@forum/shared';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { useRequestReset } from '../api/request-reset';
import { useFieldErrors, type FieldErrors } from '../hooks/use-field-errors';
import { Field } from './field';

/** Asks for a reset link by e-mail; the answer is the same whether the address has an account or not. */
export function ForgotPasswordForm() {
  const { t } = useTranslation();
  const [email, setEmail] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const request = useRequestReset();
  const fe = useFieldErrors();

  if (request.isSuccess) {
    return (
      <p className="notice" role="status">
        {t('account.linkSent')}
      </p>
    );
  }

  const submit = (e: FormEvent) => {
    e.preventDefault();
    const parsed = passwordResetRequestSchema.safeParse({ email });
    if (!parsed.success) return setErrors(fe.fromZod(parsed.error));
    setErrors({});
    request.mutate(parsed.data, { onError: (err) => setErrors(fe.fromApi(err)) });
  };

  return (
    <form className="form" onSubmit={submit} noValidate>
      <Field label={t('auth.email')} error={errors.email}>
        {({ id, describedBy, invalid }) => (
          <input id={id} type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} aria-describedby={describedBy} aria-invalid={invalid || undefined} required />
        )}
      </Field>
      {request.isError && Object.keys(errors).length === 0 ? <ErrorNotice error={request.error} /> : null}
      <div className="actions">
        <button type="submit" disabled={request.isPending}>
          {request.isPending ? t('common.sending') : t('account.sendLink')}
        </button>
      </div>
    </form>
  );
}
