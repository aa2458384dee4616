import { ROLES, type Role, type UserView } from '@forum/shared';
import { useDeferredValue, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { GroupBadge } from '../../../components/ui/badges';
import { ErrorNotice } from '../../../components/ui/error-notice';
import { Loading } from '../../../components/ui/loading';
import { countryName } from '../../../lib/format';
import { useUsers } from '../api/list-users';
import { useSetRole } from '../api/set-role';
import { useSetVerification } from '../api/set-verification';
import { ResetLinkButton } from './reset-link-button';

const PAGE = 50;

/** Find participants; verify their stakeholder group; appoint moderators and administrators. */
export function UserAdmin({ me }: { me: UserView }) {
  const { t, i18n } = useTranslation();
  const [q, setQ] = useState('');
  const [offset, setOffset] = useState(0);
  const query = useDeferredValue(q);
  const users = useUsers(query, offset);
  const verify = useSetVerification();
  const role = useSetRole();
  const searchId = useId();
  const lang = i18n.resolvedLanguage ?? 'zh';

  return (
    <section aria-labelledby="admin-users">
      <h2 id="admin-users">{t('admin.users')}</h2>
      <div className="field search">
        <label htmlFor={searchId}>{t('admin.search')}</label>
        <input
          id={searchId}
          type="search"
          value={q}
          onChange={(e) => {
            setQ(e.target.value);
            setOffset(0);
          }}
          placeholder={t('admin.searchPlaceholder')}
        />
      </div>
      {verify.isError ? <ErrorNotice error={verify.error} /> : null}
      {role.isError ? <ErrorNotice error={role.error} /> : null}
      {users.isPending ? (
        <Loading />
      ) : users.isError ? (
        <ErrorNotice error={users.error} onRetry={() => void users.refetch()} />
      ) : users.data.users.length === 0 ? (
        <p className="muted">{t('admin.noUsers')}</p>
      ) : (
        <>
          <div className="table-scroll">
            <table className="data-table">
              <caption className="visually-hidden">{t('admin.users')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('auth.displayName')}</th>
                  <th scope="col">{t('auth.email')}</th>
                  <th scope="col">{t('auth.group')}</th>
                  <th scope="col">{t('auth.organization')}</th>
                  <th scope="col">{t('auth.country')}</th>
                  <th scope="col">{t('participants.verified')}</th>
                  <th scope="col">{t('participants.role')}</th>
                  <th scope="col">{t('account.resetLinkColumn')}</th>
                </tr>
              </thead>
              <tbody>
                {users.data.users.map((u) => (
                  <tr key={u.id} data-testid={`user-${u.email}`}>
                    <th scope="row">{u.displayName}</th>
                    <td>{u.email}</td>
                    <td>
                      <GroupBadge group={u.stakeholderGroup} />
                    </td>
                    <td>{u.organization ?? '—'}</td>
                    <td>{u.country ? countryName(u.country, lang) : '—'}</td>
                    <td>
                      <label className="check">
                        <input
                          type="checkbox"
                          checked={u.verified}
                          disabled={verify.isPending}
                          onChange={(e) => verify.mutate({ id: u.id, verified: e.target.checked })}
                        />
                        <span className="visually-hidden">{t('admin.verifyUser', { name: u.displayName })}</span>
                        <span aria-hidden="true">{u.verified ? t('admin.yes') : t('admin.no')}</span>
                      </label>
                    </td>
                    <td>
                      <select
                        aria-label={t('admin.roleOf', { name: u.displayName })}
                        value={u.role}
                        disabled={role.isPending || u.id === me.id}
                        onChange={(e) => role.mutate({ id: u.id, role: e.target.value as Role })}
                      >
                        {ROLES.map((r) => (
                          <option key={r} value={r}>
                            {t(`roles.${r}`)}
                          </option>
                        ))}
                      </select>
                    </td>
                    <td>
                      <ResetLinkButton user={u} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <nav className="pager" aria-label={t('admin.pages')}>
            <button type="button" className="button-secondary" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              {t('admin.previous')}
            </button>
            <span className="muted">
              {t('admin.range', { from: offset + 1, to: offset + users.data.users.length, total: users.data.total })}
            </span>
            <button type="button" className="button-secondary" disabled={offset + PAGE >= users.data.total} onClick={() => setOffset(offset + PAGE)}>
              {t('admin.next')}
            </button>
          </nav>
        </>
      )}
    </section>
  );
}
