import { parse } from 'csv-parse/sync';
import { csvCell, toCsv } from './csv.js';

/** Reads back what we write as a spreadsheet would (RFC 4180, CRLF records). */
const parseCsv = (text: string): string[][] => parse(text, { record_delimiter: '\r\n' });


describe('CSV', () => {
  it('quotes only what needs quoting and doubles inner quotes', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('cr\r')).toBe('"cr\r"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell(12)).toBe('12');
    expect(csvCell(true)).toBe('true');
    expect(csvCell('中文，逗号')).toBe('中文，逗号');
  });

  it('defuses cells a spreadsheet would run as a formula', () => {
    expect(csvCell('=HYPERLINK("http://evil","x")')).toBe(`"'=HYPERLINK(""http://evil"",""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('-2+3')).toBe("'-2+3");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\t=1')).toBe("'\t=1");
    expect(csvCell('a=1')).toBe('a=1');
  });

  it('writes CRLF records that read back to the same cells', () => {
    const rows = [
      ['1', 'x,y', 'He said "no"\nthen left', ''],
      ['2', '', '=cmd', '多行\r\n文本'],
    ];
    const text = toCsv(['n', 'a', 'b', 'c'], rows);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(parseCsv(text)).toEqual([['n', 'a', 'b', 'c'], rows[0], ['2', '', "'=cmd", '多行\r\n文本']]);
  });
});
