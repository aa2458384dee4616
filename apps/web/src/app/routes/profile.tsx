import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { Loading } from '../../components/ui/loading';
import { useDocumentTitle } from '../../components/ui/use-document-title';
import { ChangePasswordForm } from '../../features/auth/components/change-password-form';
import { ProfileView } from '../../features/auth/components/profile-view';
import { useMe } from '../../lib/session';

export default function ProfileRoute() {
  const { t } = useTranslation();
  const { me, loading } = useMe();
  useDocumentTitle(t('profile.title'));
  if (loading) return <Loading />;
  if (!me) return <Navigate to="/login?next=%2Fprofile" replace />;
  return (
    <section className="page narrow">
      <h1>{t('profile.title')}</h1>
      <ProfileView me={me} />
      <ChangePasswordForm />
    </section>
  );
}
