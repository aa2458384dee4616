/**
 * Reads a policy document in Markdown into items and clauses.
 *
 * Chinese source (the seed's format): `# title`, an optional `来源:` line, preamble paragraphs,
 * then numbered items `一、Title。Text…` (or `1. Title. Text…`). The preamble is item 0. An item's
 * title is its text up to the first full stop; the rest is split into clauses after each sentence
 * end, keeping every character, so that joining the clauses gives back the source verbatim.
 *
 * English working translation (one clause per line): `# title`, an optional `Source:` line, then
 * `## n. Title` headings each followed by one line per clause.
 */

export interface ParsedItem {
  number: number;
  title: string;
  /** Each paragraph is a list of clauses. */
  paragraphs: string[][];
}

export interface ParsedDocument {
  title: string;
  source: string;
  items: ParsedItem[];
}

export interface ImportedClause {
  key: string;
  position: number;
  paragraph: number;
  text: { zh: string; en: string };
}

export interface ImportedItem {
  number: number;
  title: { zh: string; en: string };
  clauses: ImportedClause[];
}

export interface ImportedDocument {
  title: { zh: string; en: string };
  source: { zh: string; en: string };
  items: ImportedItem[];
}

export class ImportError extends Error {
  constructor(
    message: string,
    readonly field = 'markdown',
  ) {
    super(message);
  }
}

const PREAMBLE_TITLE = { zh: '序言', en: 'Preamble' };
const CN_DIGITS: Record<string, number> = { 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

/** 一 → 1, 十 → 10, 十三 → 13, 二十一 → 21, 一百零五 → 105. */
export function parseChineseNumeral(s: string): number | null {
  if (!/^[零一二三四五六七八九十百]+$/.test(s)) return null;
  let total = 0;
  let current = 0;
  for (const ch of s) {
    if (ch === '百') {
      total += (current || 1) * 100;
      current = 0;
    } else if (ch === '十') {
      total += (current || 1) * 10;
      current = 0;
    } else {
      current = CN_DIGITS[ch]!;
    }
  }
  return total + current;
}

const ITEM_CN = /^([零一二三四五六七八九十百]+)、(.*)$/;
const ITEM_ARABIC = /^(\d{1,3})[.、]\s*(.*)$/;
const SOURCE_LINE = /^(来源[::]|Source:\s*)/;

/** Splits after every sentence end (。!? and, for Latin text, .!? before a space), keeping all characters. */
export function splitSentences(text: string): string[] {
  const parts = text.split(/(?<=[\u3002\uff01\uff1f])|(?<=[.!?]["')\]]?\s)(?=\S)/u);
  return parts.filter((p) => p.length > 0);
}

/** The title is the text up to the first sentence end; the end mark itself belongs to neither part. */
function splitTitle(text: string): { title: string; rest: string } {
  const m = /^(.*?)([。!?]|\.(?:\s+|$))/su.exec(text);
  if (!m) return { title: text.trim(), rest: '' };
  return { title: m[1]!, rest: text.slice(m[0].length) };
}

export function parseSourceMarkdown(markdown: string): ParsedDocument {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let title = '';
  let source = '';
  const items: ParsedItem[] = [];
  const preamble: string[][] = [];
  let current: ParsedItem | null = null;

  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith('# ') && !title && items.length === 0) {
      title = line.slice(2).trim();
      continue;
    }
    if (SOURCE_LINE.test(line) && !source && items.length === 0 && preamble.length === 0) {
      source = line;
      continue;
    }
    const m = ITEM_CN.exec(line) ?? ITEM_ARABIC.exec(line);
    const number = m ? (/^\d/.test(m[1]!) ? Number(m[1]) : parseChineseNumeral(m[1]!)) : null;
    if (m && number !== null && number > 0) {
      const { title: itemTitle, rest } = splitTitle(m[2]!);
      if (!itemTitle) throw new ImportError(`item ${number} has no title`);
      if (items.some((i) => i.number === number)) throw new ImportError(`item ${number} appears twice`);
      current = { number, title: itemTitle, paragraphs: rest ? [splitSentences(rest)] : [] };
      items.push(current);
      continue;
    }
    if (current) current.paragraphs.push(splitSentences(line));
    else preamble.push(splitSentences(line));
  }

  if (!title) throw new ImportError('the document needs a "# title" line');
  if (items.length === 0) throw new ImportError('the document has no numbered items (一、… or 1. …)');
  for (let i = 0; i < items.length; i++) {
    if (items[i]!.number !== i + 1) throw new ImportError(`items must be numbered 1, 2, 3…; found ${items[i]!.number} at position ${i + 1}`);
  }
  const all = preamble.length > 0 ? [{ number: 0, title: '', paragraphs: preamble }, ...items] : items;
  return { title, source, items: all };
}

/** The English working translation: `## n. Title` headings, each followed by one clause per line. */
export function parseTranslationMarkdown(markdown: string): ParsedDocument {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let title = '';
  let source = '';
  const items: ParsedItem[] = [];
  let current: ParsedItem | null = null;
  for (const raw of lines) {
    const line = raw.trim();
    if (!line) continue;
    const heading = /^##\s+(\d{1,3})\.\s*(.*)$/.exec(line);
    if (heading) {
      current = { number: Number(heading[1]), title: heading[2]!.trim(), paragraphs: [[]] };
      if (items.some((i) => i.number === current!.number)) throw new ImportError(`item ${current.number} appears twice`, 'markdownEn');
      items.push(current);
      continue;
    }
    if (line.startsWith('# ') && !title) {
      title = line.slice(2).trim();
      continue;
    }
    if (!current) {
      if (SOURCE_LINE.test(line)) source = line;
      continue;
    }
    current.paragraphs[0]!.push(line);
  }
  if (!title) throw new ImportError('the translation needs a "# title" line', 'markdownEn');
  if (items.length === 0) throw new ImportError('the translation has no "## n. Title" items', 'markdownEn');
  return { title, source, items };
}

function flatten(item: ParsedItem): { text: string; paragraph: number }[] {
  return item.paragraphs.flatMap((p, paragraph) => p.map((text) => ({ text, paragraph })));
}

/** Aligns a source document and its translation clause by clause; either may be absent. */
export function buildDocument(zh: ParsedDocument | null, en: ParsedDocument | null): ImportedDocument {
  const primary = zh ?? en;
  if (!primary) throw new ImportError('nothing to import');
  if (zh && en) {
    const zhNumbers = zh.items.map((i) => i.number).join(',');
    const enNumbers = en.items.map((i) => i.number).join(',');
    if (zhNumbers !== enNumbers) throw new ImportError(`the translation has items ${enNumbers} but the source has ${zhNumbers}`, 'markdownEn');
  }
  const items = primary.items.map((item): ImportedItem => {
    const zhItem = zh?.items.find((i) => i.number === item.number);
    const enItem = en?.items.find((i) => i.number === item.number);
    const zhClauses = zhItem ? flatten(zhItem) : [];
    const enClauses = enItem ? flatten(enItem) : [];
    if (zhItem && enItem && zhClauses.length !== enClauses.length) {
      throw new ImportError(`item ${item.number}: the translation has ${enClauses.length} clauses, the source ${zhClauses.length}`, 'markdownEn');
    }
    const shape = zhItem ? zhClauses : enClauses;
    const isPreamble = item.number === 0;
    return {
      number: item.number,
      title: {
        zh: isPreamble && !zhItem?.title ? (zhItem ? PREAMBLE_TITLE.zh : '') : (zhItem?.title ?? ''),
        en: isPreamble && !enItem?.title ? (enItem || zhItem ? PREAMBLE_TITLE.en : '') : (enItem?.title ?? ''),
      },
      clauses: shape.map((c, i) => ({
        key: `${item.number}.${i + 1}`,
        position: i + 1,
        paragraph: c.paragraph,
        text: { zh: zhClauses[i]?.text ?? '', en: enClauses[i]?.text ?? '' },
      })),
    };
  });
  return {
    title: { zh: zh?.title ?? '', en: en?.title ?? '' },
    source: { zh: zh?.source ?? '', en: en?.source ?? '' },
    items,
  };
}

/** Joins an item's clauses back into its text: clauses of a paragraph directly, paragraphs with a blank line. */
export function joinClauses(clauses: { paragraph: number; text: string }[]): string {
  let out = '';
  let last = -1;
  for (const c of clauses) {
    if (last !== -1 && c.paragraph !== last) out += '\n\n';
    out += c.text;
    last = c.paragraph;
  }
  return out;
}
