import { useTranslation } from 'react-i18next';
import { useDocumentTitle } from '../../components/ui/use-document-title';
import { ForgotPasswordForm } from '../../features/auth/components/forgot-password-form';

export default function ForgotPasswordRoute() {
  const { t } = useTranslation();
  useDocumentTitle(t('account.forgotTitle'));
  return (
    <section className="page narrow">
      <h1>{t('account.forgotTitle')}</h1>
      <p>{t('account.forgotIntro')}</p>
      <ForgotPasswordForm />
    </section>
  );
}
