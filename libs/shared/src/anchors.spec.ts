import { clauseKeyProblem, quoteFromRange, quoteProblem } from './anchors.js';
import { createCommentSchema, quoteSchema } from './schemas/discussion.js';

const ZH = '支持搭建基于公共利益、各类主体共同参与的包容治理平台。';
const EN = 'Support the building of inclusive governance platforms that are based on the public interest.';

describe('quoteProblem', () => {
  it('accepts the exact text at its offsets, with or without context', () => {
    const start = ZH.indexOf('公共利益');
    const end = start + '公共利益'.length;
    expect(quoteProblem({ lang: 'zh', exact: '公共利益', start, end }, ZH)).toBeNull();
    expect(quoteProblem({ lang: 'zh', exact: '公共利益', prefix: '基于', suffix: '、各类', start, end }, ZH)).toBeNull();
    expect(quoteProblem({ lang: 'zh', exact: '公共利益', prefix: '', suffix: '', start, end }, ZH)).toBeNull();
    expect(quoteProblem({ lang: 'en', exact: 'Support', start: 0, end: 7 }, EN)).toBeNull();
    expect(quoteProblem({ lang: 'en', exact: 'interest.', start: EN.length - 9, end: EN.length }, EN)).toBeNull();
  });

  it('refuses text that is not at those offsets', () => {
    const start = ZH.indexOf('公共利益');
    expect(quoteProblem({ lang: 'zh', exact: '公共利益', start: start + 1, end: start + 5 }, ZH)).toMatch(/exact/);
    expect(quoteProblem({ lang: 'zh', exact: '私人利益', start, end: start + 4 }, ZH)).toMatch(/exact/);
    expect(quoteProblem({ lang: 'en', exact: 'Support', start: 0, end: 7 }, ZH)).toMatch(/exact/);
  });

  it('refuses offsets outside the clause or reversed', () => {
    expect(quoteProblem({ lang: 'en', exact: 'x', start: EN.length, end: EN.length + 1 }, EN)).toMatch(/beyond/);
    expect(quoteProblem({ lang: 'en', exact: '', start: 3, end: 3 }, EN)).toMatch(/start < end/);
    expect(quoteProblem({ lang: 'en', exact: 'S', start: -1, end: 0 }, EN)).toMatch(/start < end/);
  });

  it('refuses a prefix or suffix that is not the surrounding text', () => {
    const start = ZH.indexOf('公共利益');
    const end = start + 4;
    expect(quoteProblem({ lang: 'zh', exact: '公共利益', prefix: '搭建', start, end }, ZH)).toMatch(/prefix/);
    expect(quoteProblem({ lang: 'zh', exact: '公共利益', suffix: '各类', start, end }, ZH)).toMatch(/suffix/);
    expect(quoteProblem({ lang: 'en', exact: 'Support', prefix: 'x', start: 0, end: 7 }, EN)).toMatch(/prefix/);
  });
});

describe('quoteFromRange', () => {
  it('builds a quote that the server check accepts', () => {
    for (const [text, lang] of [[ZH, 'zh'], [EN, 'en']] as const) {
      for (const [s, e] of [[0, 3], [5, 12], [text.length - 4, text.length]]) {
        const q = quoteFromRange(text, lang, s!, e!)!;
        expect(q.exact).toBe(text.slice(s, e));
        expect(quoteProblem(q, text)).toBeNull();
        expect(quoteSchema.safeParse(q).success).toBe(true);
      }
    }
  });

  it('keeps at most the given context and omits empty context', () => {
    const q = quoteFromRange(EN, 'en', 0, 7, 5)!;
    expect(q).toEqual({ lang: 'en', exact: 'Support', start: 0, end: 7, suffix: ' the ' });
  });

  it('never splits a surrogate pair', () => {
    const text = 'a😀b😀c';
    const q = quoteFromRange(text, 'en', 2, 4, 1)!; // starts inside the first emoji
    expect(q.exact).toBe('😀b');
    expect(q.start).toBe(1);
    expect(q.exact.isWellFormed()).toBe(true);
    expect(q.prefix?.isWellFormed() ?? true).toBe(true);
    expect(q.suffix?.isWellFormed()).toBe(true);
    expect(quoteProblem(q, text)).toBeNull();
  });

  it('gives null for an empty or out-of-range selection', () => {
    expect(quoteFromRange(EN, 'en', 4, 4)).toBeNull();
    expect(quoteFromRange(EN, 'en', 0, EN.length + 1)).toBeNull();
  });
});

describe('clauseKeyProblem', () => {
  it('accepts a clause of the item and names the item of a foreign one', () => {
    expect(clauseKeyProblem('13.2', 13)).toBeNull();
    expect(clauseKeyProblem('0.1', 0)).toBeNull();
    expect(clauseKeyProblem('12.2', 13)).toBe('clause 12.2 belongs to item 12, not item 13');
    expect(clauseKeyProblem('13', 13)).toMatch(/clause key/);
  });
});

describe('createCommentSchema', () => {
  it('takes a body with optional anchors', () => {
    expect(createCommentSchema.parse({ body: 'Hello' })).toEqual({ body: 'Hello' });
    const q = { lang: 'zh', exact: '公共利益', start: 6, end: 10 };
    expect(createCommentSchema.parse({ body: ' **x** ', clauseKey: '13.2', parentId: 4, quote: q })).toEqual({
      body: ' **x** ',
      clauseKey: '13.2',
      parentId: 4,
      quote: q,
    });
  });

  it('refuses empty, blank, oversized or malformed bodies and unknown fields', () => {
    expect(createCommentSchema.safeParse({ body: '' }).success).toBe(false);
    expect(createCommentSchema.safeParse({ body: ' \n\t ' }).success).toBe(false);
    expect(createCommentSchema.safeParse({ body: 'x'.repeat(10_001) }).success).toBe(false);
    expect(createCommentSchema.safeParse({ body: 'x'.repeat(10_000) }).success).toBe(true);
    expect(createCommentSchema.safeParse({ body: 'a\u0000b' }).success).toBe(false);
    expect(createCommentSchema.safeParse({ body: 'a\ud800b' }).success).toBe(false);
    expect(createCommentSchema.safeParse({ body: 'x', role: 'admin' }).success).toBe(false);
    expect(createCommentSchema.safeParse({ body: 'x', clauseKey: '13' }).success).toBe(false);
    expect(createCommentSchema.safeParse({ body: 'x', parentId: '4' }).success).toBe(false);
  });

  it('refuses a quote whose offsets do not span its exact text', () => {
    const bad = { lang: 'en', exact: 'abc', start: 0, end: 4 };
    expect(quoteSchema.safeParse(bad).success).toBe(false);
    expect(quoteSchema.safeParse({ ...bad, end: 3, lang: 'fr' }).success).toBe(false);
  });
});
