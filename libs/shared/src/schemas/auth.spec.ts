import { COUNTRY_CODES, registerSchema, updateMeSchema } from './auth.js';

const valid = { email: 'Ann@Example.org', password: '0123456789', displayName: 'Ann', stakeholderGroup: 'academia' };

describe('COUNTRY_CODES', () => {
  it('are the 249 officially assigned ISO 3166-1 alpha-2 codes, each a known region', () => {
    expect(COUNTRY_CODES).toHaveLength(249);
    expect(new Set(COUNTRY_CODES).size).toBe(249);
    const names = new Intl.DisplayNames(['en'], { type: 'region' });
    for (const c of COUNTRY_CODES) expect(names.of(c)).not.toBe(c);
    // reserved or user-assigned codes are not countries of ISO 3166-1
    for (const c of ['EU', 'UK', 'XK', 'ZZ', 'UN']) expect(COUNTRY_CODES).not.toContain(c);
  });
});

describe('registerSchema', () => {
  it('normalises the address, the country and empty optional fields', () => {
    expect(registerSchema.parse({ ...valid, email: '  Ann@Example.ORG ', country: 'ch', organization: '  ' })).toEqual({
      email: 'ann@example.org',
      password: '0123456789',
      displayName: 'Ann',
      stakeholderGroup: 'academia',
      country: 'CH',
      organization: null,
    });
  });

  it('keeps a password exactly as typed', () => {
    expect(registerSchema.parse({ ...valid, password: '  spaced  pw  ' }).password).toBe('  spaced  pw  ');
  });

  it.each([
    ['email', { email: 'ann@' }],
    ['password', { password: '123456789' }],
    ['displayName', { displayName: '' }],
    ['stakeholderGroup', { stakeholderGroup: 'press' }],
    ['country', { country: 'EU' }],
  ])('names %s when it is wrong', (field, over) => {
    const r = registerSchema.safeParse({ ...valid, ...over });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]!.path).toEqual([field]);
  });

  it('refuses a role and any other unknown field', () => {
    const r = registerSchema.safeParse({ ...valid, role: 'admin' });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['role'] });
  });
});

describe('updateMeSchema', () => {
  it('accepts a partial profile and refuses role, e-mail and verification', () => {
    expect(updateMeSchema.parse({ country: 'de' })).toEqual({ country: 'DE' });
    expect(updateMeSchema.parse({ organization: '', country: null })).toEqual({ organization: null, country: null });
    for (const extra of [{ role: 'admin' }, { email: 'a@b.org' }, { verified: true }]) expect(updateMeSchema.safeParse(extra).success).toBe(false);
  });
});
