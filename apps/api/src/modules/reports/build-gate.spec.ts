import { BuildGate, BuildGateFull } from './build-gate.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('BuildGate', () => {
  it('runs at most `concurrency` at once, queues up to `queue`, refuses beyond, in order', async () => {
    const gate = new BuildGate(2, 3, 5);
    const started: number[] = [];
    const gates = Array.from({ length: 7 }, deferred);
    const runs = gates.map((d, i) =>
      gate.run(async () => {
        started.push(i);
        await d.promise;
        return i;
      }),
    );
    // Observed at once, so that a refusal is never an unhandled rejection.
    const outcomes = runs.map((r) => r.then((v) => ({ ok: true as const, v }), (e: unknown) => ({ ok: false as const, e })));
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1]);
    expect(gate.active).toBe(2);
    expect(gate.queued).toBe(3);
    // 5 and 6 find the queue full: refused at once, with a Retry-After.
    for (const r of await Promise.all([outcomes[5]!, outcomes[6]!])) {
      expect(r.ok).toBe(false);
      const e = (r as { e: unknown }).e;
      expect(e).toBeInstanceOf(BuildGateFull);
      expect((e as BuildGateFull).retryAfterSeconds).toBe(5);
    }
    expect(gate.refused).toBe(2);
    gates[1]!.resolve();
    await outcomes[1];
    await new Promise((r) => setTimeout(r, 0));
    expect(started).toEqual([0, 1, 2]);
    for (const d of gates) d.resolve();
    expect(await Promise.all(outcomes.slice(0, 5))).toEqual([0, 1, 2, 3, 4].map((v) => ({ ok: true, v })));
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(gate.active).toBe(0);
    expect(gate.peak).toBe(2);
  });

  it('frees the slot when a build fails', async () => {
    const gate = new BuildGate(1, 0);
    await expect(gate.run(async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(gate.active).toBe(0);
    expect(await gate.run(async () => 'ok')).toBe('ok');
  });
});
