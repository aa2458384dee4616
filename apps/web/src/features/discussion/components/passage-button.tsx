import { useTranslation } from 'react-i18next';
import type { PassageSelection } from '../quote-from-selection';

/** Floats under a selected passage of a clause: "comment on this passage". */
export function PassageButton({ passage, onChoose }: { passage: PassageSelection | null; onChoose: (p: PassageSelection) => void }) {
  const { t } = useTranslation();
  if (!passage) return null;
  const top = Math.min(window.innerHeight - 48, Math.max(8, passage.rect.bottom + 8));
  const left = Math.min(window.innerWidth - 240, Math.max(8, passage.rect.left));
  return (
    <button
      type="button"
      className="passage-button"
      style={{ top, left }}
      // Keep the selection while pressing the button.
      onMouseDown={(e) => e.preventDefault()}
      onClick={() => onChoose(passage)}
      data-testid="passage-button"
    >
      {t('discussion.commentOnPassage')}
    </button>
  );
}
