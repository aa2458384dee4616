// Percentiles over raw samples (milliseconds), nearest-rank.
export function summarize(samples) {
  if (samples.length === 0) return { n: 0, p50: null, p99: null, max: null, mean: null };
  const s = Float64Array.from(samples).sort();
  const at = (q) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
  let sum = 0;
  for (const v of s) sum += v;
  return { n: s.length, p50: at(0.5), p99: at(0.99), max: s[s.length - 1], mean: sum / s.length };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
