import { ar } from './ar';
import { DEFAULT_LANGUAGE, dirOf, INTL_LOCALE, langCookie, pickLanguage, UI_LANGUAGES, type UiLanguage } from './detect';
import { en, type Resources } from './en';
import { es } from './es';
import { createI18n, loadAllLanguages } from './index';
import { fr } from './fr';
import { ru } from './ru';
import { zh } from './zh';

const ALL: Record<UiLanguage, Resources> = { ar, zh, en, fr, ru, es };
const PLURAL = /_(zero|one|two|few|many|other)$/;

function flatten(obj: object, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(obj)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of flatten(v as object, key)) out.set(kk, vv);
  }
  return out;
}

const flat = Object.fromEntries(UI_LANGUAGES.map((l) => [l, flatten(ALL[l])])) as Record<UiLanguage, Map<string, string>>;
/** The keys apart from plural forms beyond English's (zero/two/few/many, which a language adds as it needs). */
const baseKeys = (l: UiLanguage) => [...flat[l].keys()].filter((k) => !/_(zero|two|few|many)$/.test(k) || flat.en.has(k)).sort();
const placeholders = (s: string) => [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

/**
 * Values a translation may share with English: proper nouns, formats, language names and the like.
 * Everything else identical to English is taken for an untranslated string.
 */
const SAME_AS_ENGLISH_OK: Record<'zh' | 'fr' | 'es' | 'ru' | 'ar', string[]> = {
  zh: [],
  // Words French shares with English.
  fr: [
    'layout.consultations',
    'admin.consultations',
    'home.title',
    'layout.admin',
    'admin.title',
    'document.source',
    'discussion.title',
    'tally.consensus',
    'tally.participants_other',
    'tally.participants_one',
    'roles.participant',
    'admin.users',
    'admin.pages',
    'report.abstentions_one',
    'report.abstentions_other',
    'report.positions',
    'report.csvPositions',
    'report.jsonAll',
    'moderation.action',
    'moderation.targetUser',
    'notifications.title',
    'notifications.button_zero',
    'commentStatus.visible',
    'auth.organization',
    'document.clauseLabel',
    'moderation.clauseLabel',
    'positions.onClause',
  ],
  es: ['commentStatus.visible', 'admin.no'],
  ru: [],
  ar: [],
};
const SAME_EVERYWHERE_OK = ['meta.translation', 'discussion.chars', 'admin.range']; // a marker (checked below) and formats with placeholders only

describe('interface strings', () => {
  it('has the same keys in all six languages (plural forms aside)', () => {
    for (const l of UI_LANGUAGES) expect(baseKeys(l), l).toEqual(baseKeys('en'));
  });

  it('gives every plural form Intl.PluralRules asks of each language, and no other', () => {
    const bases = new Set([...flat.en.keys()].filter((k) => k.endsWith('_other')).map((k) => k.replace(/_other$/, '')));
    expect(bases.size).toBeGreaterThan(5);
    for (const l of UI_LANGUAGES) {
      const categories = new Intl.PluralRules(INTL_LOCALE[l]).resolvedOptions().pluralCategories;
      for (const base of bases) {
        for (const c of categories) expect(flat[l].has(`${base}_${c}`), `${l}: ${base}_${c}`).toBe(true);
        for (const k of flat[l].keys()) {
          const m = PLURAL.exec(k);
          if (!m || k.slice(0, m.index) !== base) continue;
          // Every form present is one the language uses (or English's one/other, and the special _zero i18next tries for 0).
          expect([...categories, 'one', 'other', 'zero'], `${l}: ${k}`).toContain(m[1]);
        }
      }
      for (const k of flat[l].keys()) {
        const m = PLURAL.exec(k);
        if (m && !['one', 'other', 'zero'].includes(m[1])) expect(bases.has(k.slice(0, m.index)), `${l}: ${k} has no English _other`).toBe(true);
      }
    }
  });

  it('has no empty value, keeps the placeholders of English, and translates what is not a name or a format', () => {
    for (const l of UI_LANGUAGES) {
      for (const [k, v] of flat[l]) {
        expect(v.trim(), `${l}: ${k}`).not.toBe('');
        const enKey = flat.en.has(k) ? k : k.replace(PLURAL, '_other');
        // Plural forms may spell the count out ("تعليق واحد", "deux"): only {{count}} may go.
        const want = placeholders(flat.en.get(enKey)!).filter((p) => !(p === 'count' && PLURAL.test(k)));
        const have = placeholders(v).filter((p) => p !== 'count');
        expect(have, `${l}: ${k}`).toEqual(want.filter((p) => p !== 'count'));
      }
    }
    for (const l of ['fr', 'es', 'ru', 'ar', 'zh'] as const) {
      const ok = new Set([...SAME_AS_ENGLISH_OK[l], ...SAME_EVERYWHERE_OK]);
      const same = [...flat[l]].filter(([k, v]) => flat.en.get(k) === v && !ok.has(k)).map(([k]) => k);
      expect(same, `${l}: identical to English: ${same.join(', ')}`).toEqual([]);
    }
  });

  it('marks fr, es, ru and ar as working translations and zh, en as originals', () => {
    for (const l of ['fr', 'es', 'ru', 'ar'] as const) expect(ALL[l].meta.translation).toBe('working');
    for (const l of ['zh', 'en'] as const) expect(ALL[l].meta.translation).toBe('original');
    // Each working translation says so in its own words, and that the plan has no official text in it.
    const notes = new Set(UI_LANGUAGES.map((l) => ALL[l].layout.translationNote));
    expect(notes.size).toBe(6);
  });
});

describe('pickLanguage', () => {
  it('takes the URL, else the cookie, else the browser, else Chinese', () => {
    expect(pickLanguage({})).toBe(DEFAULT_LANGUAGE);
    expect(DEFAULT_LANGUAGE).toBe('zh');
    expect(pickLanguage({ query: '?lang=fr', cookie: 'lang=ru', acceptLanguage: 'es' })).toBe('fr');
    expect(pickLanguage({ query: 'ar' })).toBe('ar');
    expect(pickLanguage({ query: new URLSearchParams('x=1&lang=es') })).toBe('es');
    expect(pickLanguage({ query: '?lang=de', cookie: 'a=1; lang=ru; b=2', acceptLanguage: 'es' })).toBe('ru');
    expect(pickLanguage({ cookie: 'ru' })).toBe('ru');
    expect(pickLanguage({ cookie: 'lang=xx', acceptLanguage: 'de-DE,de;q=0.9,fr;q=0.8,en;q=0.7' })).toBe('fr');
    expect(pickLanguage({ acceptLanguage: 'en;q=0.5, ar-EG;q=0.9' })).toBe('ar');
    expect(pickLanguage({ acceptLanguage: 'fr;q=0, de' })).toBe('zh');
    expect(pickLanguage({ acceptLanguage: 'zh-Hant-TW' })).toBe('zh');
    expect(pickLanguage({ navigatorLanguages: ['de-AT', 'es-MX', 'en'] })).toBe('es');
    expect(pickLanguage({ acceptLanguage: 'de', navigatorLanguages: ['RU'] })).toBe('ru');
  });

  it('gives Arabic right to left and the cookie its attributes', () => {
    expect(UI_LANGUAGES.filter((l) => dirOf(l) === 'rtl')).toEqual(['ar']);
    expect(langCookie('fr')).toBe('lang=fr; Path=/; Max-Age=31536000; SameSite=Lax');
  });
});

describe('createI18n', () => {
  it('gives independent instances, each in its language, without a DOM', async () => {
    await loadAllLanguages();
    const a = createI18n('ar');
    const r = createI18n('ru');
    expect(a.t('layout.signIn')).toBe('تسجيل الدخول');
    expect(r.t('layout.signIn')).toBe('Войти');
    expect(createI18n('zh').t('layout.signIn')).toBe('登录');
    // Plurals by Intl.PluralRules: Russian one/few/many, Arabic zero/one/two/few/many/other.
    expect([1, 3, 5, 21].map((count) => r.t('tally.participants', { count }))).toEqual(['1 участник', '3 участника', '5 участников', '21 участник']);
    expect([0, 1, 2, 3, 11, 100].map((count) => a.t('tally.participants', { count }))).toEqual([
      'لا مشاركين',
      'مشارك واحد',
      'مشاركان',
      '3 مشاركين',
      '11 مشاركًا',
      '100 مشارك',
    ]);
    expect(typeof (globalThis as { document?: unknown }).document).toBe('undefined');
  });
});
