/**
 * At most `concurrency` builds run at once; up to `queue` more wait their turn, first come first
 * served; beyond that a build is refused at once (BuildGateFull), so that a burst of downloads
 * neither holds every pooled database connection nor piles up unbounded work.
 */
export class BuildGateFull extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('too many exports are being built; try again shortly');
  }
}

export class BuildGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  /** Builds refused because the queue was full, since start (for figures and logs). */
  refused = 0;
  /** The most builds that ever ran at once (for the tests' figures). */
  peak = 0;

  constructor(
    readonly concurrency: number,
    readonly queue: number,
    private readonly retryAfterSeconds = 2,
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) {
        this.refused += 1;
        throw new BuildGateFull(this.retryAfterSeconds);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    this.peak = Math.max(this.peak, this.running);
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line (running stays the same), or is freed.
      if (next) next();
      else this.running -= 1;
    }
  }
}
