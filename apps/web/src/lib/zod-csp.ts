/**
 * zod 4 probes `new Function('')` once to decide whether to compile fast parsers; under our CSP
 * (no 'unsafe-eval') the probe is refused and reported as a CSP violation even though zod catches
 * it. `jitless` skips the probe. zod reads its config from this global, so setting it here, before
 * any schema from @forum/shared is built, needs no import of zod in the first-load bundle.
 */
const g = globalThis as { __zod_globalConfig?: Record<string, unknown> };
g.__zod_globalConfig = { ...(g.__zod_globalConfig ?? {}), jitless: true };
export {};
