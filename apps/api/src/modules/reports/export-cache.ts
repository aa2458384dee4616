/**
 * Built exports, by the state they were built from (consultation id, its last_seq, the profile
 * version, format and data), least recently used first out once `maxBytes` is exceeded. An entry
 * can never be stale: every change a reader could see moves last_seq or the profile version, so a
 * changed consultation simply has a new key. Storing a consultation's newer state drops its older
 * ones, which nobody can ask for any more.
 */
export interface CachedExport {
  consultationId: string;
  filename: string;
  contentType: string;
  etag: string;
  body: Buffer;
}

export class ExportCache {
  private readonly entries = new Map<string, CachedExport>();
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  get size(): number {
    return this.entries.size;
  }

  get(key: string): CachedExport | undefined {
    const e = this.entries.get(key);
    if (e) {
      // Most recently used last.
      this.entries.delete(key);
      this.entries.set(key, e);
    }
    return e;
  }

  set(key: string, e: CachedExport, stateOf: (key: string) => string): void {
    const state = stateOf(key);
    for (const [k, old] of this.entries) {
      if (k === key || (old.consultationId === e.consultationId && stateOf(k) !== state)) this.drop(k);
    }
    if (e.body.length > this.maxBytes) return;
    this.entries.set(key, e);
    this.bytes += e.body.length;
    for (const k of this.entries.keys()) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(k);
    }
  }

  private drop(key: string): void {
    const e = this.entries.get(key);
    if (!e) return;
    this.entries.delete(key);
    this.bytes -= e.body.length;
  }
}
