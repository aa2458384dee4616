import { safeNext } from './use-field-errors';

describe('safeNext', () => {
  it('keeps paths on this site and refuses anything that leaves it', () => {
    expect(safeNext('/consultations/x/items/13')).toBe('/consultations/x/items/13');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.example/')).toBe('/');
    expect(safeNext('//evil.example/')).toBe('/');
    expect(safeNext('/\\evil.example/')).toBe('/');
    expect(safeNext('javascript:alert(1)')).toBe('/');
  });
});
