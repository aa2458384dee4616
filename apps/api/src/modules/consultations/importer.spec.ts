import { readFileSync } from 'node:fs';
import { buildDocument, joinClauses, parseChineseNumeral, parseSourceMarkdown, parseTranslationMarkdown, splitSentences } from './importer.js';

const zhSource = readFileSync(new URL('./seed/action-plan.zh.md', import.meta.url), 'utf8');
const enSource = readFileSync(new URL('./seed/action-plan.en.md', import.meta.url), 'utf8');

describe('parseChineseNumeral', () => {
  it.each([
    ['一', 1],
    ['十', 10],
    ['十三', 13],
    ['二十', 20],
    ['二十一', 21],
    ['一百零五', 105],
  ])('%s → %d', (s, n) => expect(parseChineseNumeral(s)).toBe(n));
  it('refuses other text', () => expect(parseChineseNumeral('十a')).toBeNull());
});

describe('splitSentences', () => {
  it('splits after 。 and keeps every character', () => {
    const text = '甲乙。丙丁\uff01戊\uff1f己';
    expect(splitSentences(text)).toEqual(['甲乙。', '丙丁\uff01', '戊\uff1f', '己']);
  });
  it('splits Latin sentences after the space', () => {
    expect(splitSentences('One. Two! Three?')).toEqual(['One. ', 'Two! ', 'Three?']);
  });
  it('keeps quoted punctuation inside a sentence', () => {
    expect(splitSentences('倡导“可持续人工智能”理念,支持。推广。')).toEqual(['倡导“可持续人工智能”理念,支持。', '推广。']);
  });
});

describe('the seeded action plan', () => {
  const zh = parseSourceMarkdown(zhSource);
  const en = parseTranslationMarkdown(enSource);
  const doc = buildDocument(zh, en);
  const seedLines = zhSource.split('\n').filter((l) => l.trim());

  it('has the preamble and thirteen items', () => {
    expect(doc.items.map((i) => i.number)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(doc.title.zh).toBe('人工智能全球治理行动计划');
    expect(doc.source.zh.startsWith('来源')).toBe(true);
  });

  it('reproduces every item of the seed verbatim from title and clauses', () => {
    const numerals = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三'];
    for (const item of doc.items.slice(1)) {
      const rebuilt = `${numerals[item.number - 1]}、${item.title.zh}。${joinClauses(item.clauses.map((c) => ({ paragraph: c.paragraph, text: c.text.zh })))}`;
      expect(seedLines).toContain(rebuilt);
    }
  });

  it('reproduces the preamble verbatim, paragraph by paragraph', () => {
    const preamble = doc.items[0]!;
    const rebuilt = joinClauses(preamble.clauses.map((c) => ({ paragraph: c.paragraph, text: c.text.zh })));
    const start = zhSource.indexOf('人工智能是人类发展的新领域');
    const end = zhSource.indexOf('\n\n一、');
    expect(rebuilt).toBe(zhSource.slice(start, end));
    expect(preamble.title).toEqual({ zh: '序言', en: 'Preamble' });
  });

  it('gives every clause English and keys n.k', () => {
    for (const item of doc.items) {
      item.clauses.forEach((c, i) => {
        expect(c.key).toBe(`${item.number}.${i + 1}`);
        expect(c.text.en.length).toBeGreaterThan(10);
      });
      expect(item.title.en.length).toBeGreaterThan(3);
    }
  });

  it('splits item 13 into its three clauses', () => {
    const item = doc.items.find((i) => i.number === 13)!;
    expect(item.title.zh).toBe('构建多方参与的包容治理模式');
    expect(item.clauses.map((c) => c.key)).toEqual(['13.1', '13.2', '13.3']);
    expect(item.clauses[1]!.text.zh.startsWith('鼓励各国人工智能企业开展对话交流')).toBe(true);
  });

  it('uses the agreed terms of art', () => {
    const all = doc.items.flatMap((i) => i.clauses.map((c) => c.text.en)).join(' ');
    expect(all).toContain('Global South');
    expect(all).toContain('Global Digital Compact');
  });
});

describe('importing other documents', () => {
  it('reads an English-only document in the seed format', () => {
    const doc = buildDocument(null, parseSourceMarkdown('# Plan\n\nIntro one. Intro two.\n\n1. First item. Do this. Do that.\n2. Second. Only one.\n'));
    expect(doc.items.map((i) => [i.number, i.title.en, i.clauses.length])).toEqual([
      [0, 'Preamble', 2],
      [1, 'First item', 2],
      [2, 'Second', 1],
    ]);
  });

  it('refuses a translation whose clauses do not align', () => {
    const zh = parseSourceMarkdown('# 计划\n\n一、标题。甲。乙。\n');
    const en = parseTranslationMarkdown('# Plan\n\n## 1. Title\nA.\n');
    expect(() => buildDocument(zh, en)).toThrow(/1 clauses, the source 2/);
  });

  it('refuses items out of order and documents without items', () => {
    expect(() => parseSourceMarkdown('# 计划\n\n一、甲。乙。\n三、丙。丁。\n')).toThrow(/numbered 1, 2, 3/);
    expect(() => parseSourceMarkdown('# 计划\n\n只有序言。\n')).toThrow(/no numbered items/);
    expect(() => parseSourceMarkdown('一、甲。乙。\n')).toThrow(/title/);
  });
});
