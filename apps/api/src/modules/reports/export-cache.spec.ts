import { ExportCache, type CachedExport } from './export-cache.js';

const entry = (consultationId: string, bytes: number): CachedExport => ({
  consultationId,
  filename: 'f',
  contentType: 'text/csv',
  etag: '"e"',
  body: Buffer.alloc(bytes),
});
/** Keys as the export service writes them: `<id>|<last_seq>|<profiles>|<format>|<data>`; the state is the first three parts. */
const stateOf = (k: string) => k.split('|').slice(0, 3).join('|');

describe('ExportCache', () => {
  it('drops the older states of a consultation when a newer one is stored, and keeps the other formats of the same state', () => {
    const c = new ExportCache(1000);
    c.set('a|1|0|json|all', entry('a', 10), stateOf);
    c.set('a|1|0|csv|all', entry('a', 10), stateOf);
    c.set('b|7|0|json|all', entry('b', 10), stateOf);
    expect(c.size).toBe(3);
    c.set('a|2|0|json|all', entry('a', 10), stateOf);
    expect(c.get('a|1|0|json|all')).toBeUndefined();
    expect(c.get('a|1|0|csv|all')).toBeUndefined();
    expect(c.get('a|2|0|json|all')).toBeDefined();
    expect(c.get('b|7|0|json|all')).toBeDefined();
    // A new profile version is a new state as well.
    c.set('b|7|1|json|all', entry('b', 10), stateOf);
    expect(c.get('b|7|0|json|all')).toBeUndefined();
  });

  it('keeps within its bytes, least recently used out first, and never stores a file larger than all of it', () => {
    const c = new ExportCache(100);
    c.set('a|1|0|json|all', entry('a', 40), stateOf);
    c.set('b|1|0|json|all', entry('b', 40), stateOf);
    expect(c.get('a|1|0|json|all')).toBeDefined(); // a is now the most recently used
    c.set('c|1|0|json|all', entry('c', 40), stateOf);
    expect(c.get('b|1|0|json|all')).toBeUndefined();
    expect(c.get('a|1|0|json|all')).toBeDefined();
    expect(c.get('c|1|0|json|all')).toBeDefined();
    c.set('d|1|0|json|all', entry('d', 101), stateOf);
    expect(c.get('d|1|0|json|all')).toBeUndefined();
    expect(c.size).toBe(2);
  });
});
