import type { ReactNode } from 'react';
import { useHydrated } from '../../lib/hydration';

/**
 * The page's controls, disabled until the page is hydrated. A form drawn by the server does
 * nothing useful before its script runs: what a reader types there would not reach React's state
 * (hydration keeps the typed value but not the component's copy of it), and a submit would send
 * the form natively. Disabled, the fields wait for the script; links stay links.
 */
export function HydrationGate({ children }: { children: ReactNode }) {
  const hydrated = useHydrated();
  return (
    <fieldset className="hydration-gate" disabled={!hydrated} role="presentation">
      {children}
    </fieldset>
  );
}
