import { useTranslation } from 'react-i18next';
import { Navigate } from 'react-router';
import { ErrorNotice } from '../../components/ui/error-notice';
import { Loading } from '../../components/ui/loading';
import { useDocumentTitle } from '../../components/ui/use-document-title';
import { ConsultationAdmin } from '../../features/admin/components/consultation-admin';
import { UserAdmin } from '../../features/admin/components/user-admin';
import { useConsultations } from '../../features/consultations/api/get-consultations';
import { useMe } from '../../lib/session';

export default function AdminRoute() {
  const { t } = useTranslation();
  const { me, loading } = useMe();
  const consultations = useConsultations();
  useDocumentTitle(t('admin.title'));
  if (loading) return <Loading />;
  if (!me) return <Navigate to="/login?next=%2Fadmin" replace />;
  if (me.role !== 'admin') {
    return (
      <section className="page narrow">
        <h1>{t('admin.title')}</h1>
        <p className="notice">{t('errors.forbidden')}</p>
      </section>
    );
  }
  return (
    <section className="page wide">
      <h1>{t('admin.title')}</h1>
      {consultations.isError ? <ErrorNotice error={consultations.error} /> : consultations.data ? <ConsultationAdmin consultations={consultations.data} /> : <Loading />}
      <UserAdmin me={me} />
    </section>
  );
}
