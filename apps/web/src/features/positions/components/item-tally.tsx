import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Loading } from '../../../components/ui/loading';
import { isNotFound } from '../../../lib/api-client';
import { useItemTally, type TallyScope } from '../api/get-item-tally';
import { TallyTable } from './tally-table';

/** The tally of the item (or of the chosen clause) by stakeholder group, verified participants by default. */
export function ItemTally({ slug, item, clause }: { slug: string; item: number; clause: string | null }) {
  const { t } = useTranslation();
  const [scope, setScope] = useState<TallyScope>('verified');
  const q = useItemTally(slug, item, clause, scope);
  if (q.isPending) return <Loading />;
  if (q.isError) return isNotFound(q.error) ? <p className="muted">{t('tally.unavailable')}</p> : <p className="muted">{t('tally.failed')}</p>;
  return (
    <div data-testid="item-tally">
      <TallyTable
        tally={q.data}
        caption={clause ? t('tally.captionClause', { clause }) : t('tally.captionItem', { n: item })}
      />
      <label className="check">
        <input type="checkbox" checked={scope === 'any'} onChange={(e) => setScope(e.target.checked ? 'any' : 'verified')} />
        {t('tally.includeUnverified')}
      </label>
    </div>
  );
}
