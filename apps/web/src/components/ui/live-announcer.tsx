import { useAnnouncement } from '../../lib/announce';

/** The page's one polite live region; see lib/announce. */
export function LiveAnnouncer() {
  const message = useAnnouncement();
  return (
    <div className="visually-hidden" role="status" aria-live="polite" aria-atomic="true" data-testid="announcer">
      {message}
    </div>
  );
}
