import { z } from 'zod';
import type { UserView } from '../contracts.js';
import { ROLES, STAKEHOLDER_GROUPS } from '../vocabulary.js';
import { displayText, text } from './text.js';

/**
 * Accounts and sessions (api-contract.md, "Auth and participants"): the request schemas the API
 * validates with and the web forms check with, and the response shapes of the auth routes.
 */

/**
 * The officially assigned ISO 3166-1 alpha-2 codes (249). Names in zh/en come from
 * `Intl.DisplayNames(lang, { type: 'region' })`, so no name table is kept here.
 */
export const COUNTRY_CODES = [
  'AD', 'AE', 'AF', 'AG', 'AI', 'AL', 'AM', 'AO', 'AQ', 'AR', 'AS', 'AT', 'AU', 'AW', 'AX', 'AZ',
  'BA', 'BB', 'BD', 'BE', 'BF', 'BG', 'BH', 'BI', 'BJ', 'BL', 'BM', 'BN', 'BO', 'BQ', 'BR', 'BS',
  'BT', 'BV', 'BW', 'BY', 'BZ', 'CA', 'CC', 'CD', 'CF', 'CG', 'CH', 'CI', 'CK', 'CL', 'CM', 'CN',
  'CO', 'CR', 'CU', 'CV', 'CW', 'CX', 'CY', 'CZ', 'DE', 'DJ', 'DK', 'DM', 'DO', 'DZ', 'EC', 'EE',
  'EG', 'EH', 'ER', 'ES', 'ET', 'FI', 'FJ', 'FK', 'FM', 'FO', 'FR', 'GA', 'GB', 'GD', 'GE', 'GF',
  'GG', 'GH', 'GI', 'GL', 'GM', 'GN', 'GP', 'GQ', 'GR', 'GS', 'GT', 'GU', 'GW', 'GY', 'HK', 'HM',
  'HN', 'HR', 'HT', 'HU', 'ID', 'IE', 'IL', 'IM', 'IN', 'IO', 'IQ', 'IR', 'IS', 'IT', 'JE', 'JM',
  'JO', 'JP', 'KE', 'KG', 'KH', 'KI', 'KM', 'KN', 'KP', 'KR', 'KW', 'KY', 'KZ', 'LA', 'LB', 'LC',
  'LI', 'LK', 'LR', 'LS', 'LT', 'LU', 'LV', 'LY', 'MA', 'MC', 'MD', 'ME', 'MF', 'MG', 'MH', 'MK',
  'ML', 'MM', 'MN', 'MO', 'MP', 'MQ', 'MR', 'MS', 'MT', 'MU', 'MV', 'MW', 'MX', 'MY', 'MZ', 'NA',
  'NC', 'NE', 'NF', 'NG', 'NI', 'NL', 'NO', 'NP', 'NR', 'NU', 'NZ', 'OM', 'PA', 'PE', 'PF', 'PG',
  'PH', 'PK', 'PL', 'PM', 'PN', 'PR', 'PS', 'PT', 'PW', 'PY', 'QA', 'RE', 'RO', 'RS', 'RU', 'RW',
  'SA', 'SB', 'SC', 'SD', 'SE', 'SG', 'SH', 'SI', 'SJ', 'SK', 'SL', 'SM', 'SN', 'SO', 'SR', 'SS',
  'ST', 'SV', 'SX', 'SY', 'SZ', 'TC', 'TD', 'TF', 'TG', 'TH', 'TJ', 'TK', 'TL', 'TM', 'TN', 'TO',
  'TR', 'TT', 'TV', 'TW', 'TZ', 'UA', 'UG', 'UM', 'US', 'UY', 'UZ', 'VA', 'VC', 'VE', 'VG', 'VI',
  'VN', 'VU', 'WF', 'WS', 'YE', 'YT', 'ZA', 'ZM', 'ZW',
] as const;
export type CountryCode = (typeof COUNTRY_CODES)[number];
const COUNTRY_SET: ReadonlySet<string> = new Set(COUNTRY_CODES);

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;
export const DISPLAY_NAME_MAX = 100;
export const ORGANIZATION_MAX = 200;
export const EMAIL_MAX = 254;

/** An e-mail address, trimmed and lower-cased: addresses are unique regardless of case. */
export const emailSchema = z
  .string({ message: 'must be an e-mail address' })
  .trim()
  .toLowerCase()
  .max(EMAIL_MAX, { message: `must have at most ${EMAIL_MAX} characters` })
  .pipe(z.email({ message: 'must be an e-mail address' }));

/** Never trimmed: a password is exactly what was typed. */
export const passwordSchema = text({ min: PASSWORD_MIN, max: PASSWORD_MAX });

/** ISO 3166-1 alpha-2, accepted in either case and stored upper-case. */
export const countrySchema = z
  .string({ message: 'must be an ISO 3166-1 alpha-2 country code' })
  .trim()
  .toUpperCase()
  .refine((v) => COUNTRY_SET.has(v), { message: 'must be an ISO 3166-1 alpha-2 country code, e.g. CN, CH, US' });

/** Optional fields a form may send empty: "" means none (null). */
const emptyToNull = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? null : v);
export const organizationSchema = z.preprocess(emptyToNull, displayText(ORGANIZATION_MAX).nullable());
export const optionalCountrySchema = z.preprocess(emptyToNull, countrySchema.nullable());

export const displayNameSchema = displayText(DISPLAY_NAME_MAX);
export const stakeholderGroupSchema = z.enum(STAKEHOLDER_GROUPS, {
  message: `must be one of ${STAKEHOLDER_GROUPS.join(', ')}`,
});

/** Sign-up. Unknown fields are refused (nobody chooses their own role: `role` is named in the 400). */
export const registerSchema = z
  .object({
    email: emailSchema,
    password: passwordSchema,
    displayName: displayNameSchema,
    stakeholderGroup: stakeholderGroupSchema,
    organization: organizationSchema.optional(),
    country: optionalCountrySchema.optional(),
  })
  .strict();
export type RegisterInput = z.infer<typeof registerSchema>;

/** Sign-in. The password is only length-checked here, so a wrong one is a 401, not a hint. */
export const loginSchema = z
  .object({
    email: emailSchema,
    password: z
      .string({ message: 'is required' })
      .min(1, { message: 'is required' })
      .max(PASSWORD_MAX, { message: `must have at most ${PASSWORD_MAX} characters` }),
  })
  .strict();
export type LoginInput = z.infer<typeof loginSchema>;

/**
 * A participant edits their own profile. Changing the stakeholder group clears `verified` (the
 * verification was of the old group). Role and e-mail are not editable here.
 */
export const updateMeSchema = z
  .object({
    displayName: displayNameSchema.optional(),
    stakeholderGroup: stakeholderGroupSchema.optional(),
    organization: organizationSchema.optional(),
    country: optionalCountrySchema.optional(),
  })
  .strict();
export type UpdateMeInput = z.infer<typeof updateMeSchema>;

/** GET /admin/users: search by name, e-mail or organisation; offset-paginated, newest first. */
export const adminUsersQuerySchema = z.object({
  q: z.string().trim().max(200, { message: 'must have at most 200 characters' }).optional(),
  verified: z.enum(['true', 'false'], { message: 'must be true or false' }).optional(),
  role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }).optional(),
  limit: z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be an integer' })
    .min(1, { message: 'must be at least 1' })
    .max(100, { message: 'must be at most 100' })
    .default(50),
  offset: z.coerce
    .number({ message: 'must be a number' })
    .int({ message: 'must be an integer' })
    .min(0, { message: 'must be 0 or more' })
    .max(1_000_000, { message: 'must be at most 1000000' })
    .default(0),
});
export type AdminUsersQuery = z.infer<typeof adminUsersQuerySchema>;

export const setVerificationSchema = z.object({ verified: z.boolean({ message: 'must be true or false' }) }).strict();
export type SetVerificationInput = z.infer<typeof setVerificationSchema>;

export const setRoleSchema = z.object({ role: z.enum(ROLES, { message: `must be one of ${ROLES.join(', ')}` }) }).strict();
export type SetRoleInput = z.infer<typeof setRoleSchema>;

export const userIdSchema = z.uuid({ message: 'id: must be a UUID' });

/**
 * POST /me/password: the current password (only length-checked, so a wrong one is a clear 400
 * naming `current`, not a hint) and the new one under the registration rules.
 */
export const changePasswordSchema = z
  .object({
    current: z
      .string({ message: 'is required' })
      .min(1, { message: 'is required' })
      .max(PASSWORD_MAX, { message: `must have at most ${PASSWORD_MAX} characters` }),
    next: passwordSchema,
  })
  .strict();
export type ChangePasswordInput = z.infer<typeof changePasswordSchema>;

/** A one-time reset token as issued: 43 base64url characters. */
export const RESET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

/** POST /auth/password-reset: the token of a one-time link and the new password. */
export const passwordResetSchema = z
  .object({
    token: z.string({ message: 'is required' }).regex(RESET_TOKEN_PATTERN, { message: 'is not a valid reset link' }),
    password: passwordSchema,
  })
  .strict();
export type PasswordResetInput = z.infer<typeof passwordResetSchema>;

/** POST /auth/password-reset/request: where to send a reset link (answered 202 whatever the address). */
export const passwordResetRequestSchema = z.object({ email: emailSchema }).strict();
export type PasswordResetRequestInput = z.infer<typeof passwordResetRequestSchema>;

/** POST /admin/users/:id/password-reset (201): the link, shown once; only its hash is kept. */
export interface PasswordResetLink {
  url: string;
  expiresAt: string;
}

/** GET /auth/options: what the sign-in page may offer. */
export interface AuthOptions {
  /** True when the forum can e-mail a reset link (SMTP_URL is set). */
  passwordResetByEmail: boolean;
}

/** POST /auth/register (201) and POST /auth/login (200); the refresh token travels in a cookie. */
export interface AuthResponse {
  accessToken: string;
  /** Seconds until the access token expires; refresh a little before. */
  expiresIn: number;
  user: UserView;
}

/** POST /auth/refresh: a new access token (and the user, so a reloaded page knows who it is). */
export type RefreshResponse = AuthResponse;

export interface AdminUserList {
  users: UserView[];
  total: number;
  limit: number;
  offset: number;
}
