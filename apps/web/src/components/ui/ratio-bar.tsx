/**
 * A 0..1 ratio as a filled bar. Drawn in SVG, whose geometry is an attribute and not a style: a
 * `style="width:…"` in the server's HTML would be refused by the CSP (style-src 'self').
 */
export function RatioBar({ ratio }: { ratio: number }) {
  const width = Math.max(0, Math.min(1, ratio)) * 100;
  return (
    <svg className="ratio-bar" viewBox="0 0 100 1" preserveAspectRatio="none" aria-hidden="true" focusable="false">
      <rect className="ratio-fill" width={width} height="1" />
    </svg>
  );
}
