import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { displayNameSchema, emailSchema, passwordSchema, STAKEHOLDER_GROUPS } from '@forum/shared';

const intFrom = (def: number) => z.coerce.number().int().min(0).default(def);
/** `NAME=` in an env file means "not set". */
const unsetIfEmpty = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? undefined : v), schema);

const envSchema = z.object({
  NODE_ENV: z.string().default('production'),
  PORT: intFrom(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: unsetIfEmpty(z.string().url().optional()),
  DATA_DIR: z.string().default('./.data'),
  /** Port of the embedded PostgreSQL; 0 picks a free one. Default avoids a server on 5432. */
  EMBEDDED_PG_PORT: intFrom(54329),
  DB_POOL_SIZE: intFrom(20),
  REDIS_URL: unsetIfEmpty(z.string().url().optional()),
  /** The first administrator, created at start-up when the account does not exist yet. */
  ADMIN_EMAIL: unsetIfEmpty(emailSchema.optional()),
  ADMIN_PASSWORD: unsetIfEmpty(passwordSchema.optional()),
  ADMIN_DISPLAY_NAME: displayNameSchema.default('Administrator'),
  ADMIN_STAKEHOLDER_GROUP: z.enum(STAKEHOLDER_GROUPS).default('civil_society'),
  JWT_SECRET: unsetIfEmpty(z.string().min(32).optional()),
  ACCESS_TOKEN_TTL_SECONDS: intFrom(600),
  REFRESH_TOKEN_TTL_DAYS: intFrom(30),
  AUTH_RATE_PER_MINUTE: intFrom(10),
  WRITE_RATE_PER_MINUTE: intFrom(60),
  /** Downloads (GET …/export) per client address per minute; 0: no limit. */
  EXPORT_RATE_PER_MINUTE: intFrom(10),
  /** Exports built at once per process (the others wait in a queue), so downloads never hold every pooled connection. */
  EXPORT_CONCURRENCY: z.coerce.number().int().min(1).default(2),
  /** Exports that may wait for a build slot; beyond it: 429 with Retry-After. */
  EXPORT_QUEUE: intFrom(16),
  CORS_ORIGINS: z.string().optional(),
  /** Behind a TLS-terminating proxy: trust X-Forwarded-* to know the client address and protocol. */
  TRUST_PROXY: z.string().optional(),
  LOG_LEVEL: z.string().default('info'),
  /**
   * Outgoing mail, e.g. smtp://user:pass@mail.example.org:587 or smtps://…:465. Set: participants
   * may ask for a password-reset link by e-mail. Unset: only administrators issue reset links.
   */
  SMTP_URL: unsetIfEmpty(
    z
      .string()
      .url({ message: 'must be a URL such as smtp://user:password@host:587' })
      .refine((v) => /^smtps?:\/\//i.test(v), { message: 'must start with smtp:// or smtps://' })
      .optional(),
  ),
  /** The sender of the forum's e-mail. */
  MAIL_FROM: unsetIfEmpty(z.string().min(3).default('Consultation forum <no-reply@localhost>')),
  /**
   * The forum's public address (https://forum.example.org), for links sent by e-mail; required
   * with SMTP_URL, since a link built from a request's Host header could point anywhere.
   */
  PUBLIC_URL: unsetIfEmpty(
    z
      .string()
      .url({ message: 'must be an http(s) URL such as https://forum.example.org' })
      .refine((v) => /^https?:\/\//i.test(v), { message: 'must start with http:// or https://' })
      .optional(),
  ),
  WEB_DIST: z.string().optional(),
  SEED: z.enum(['true', 'false']).default('true'),
});

export type Env = z.infer<typeof envSchema>;

/** Typed configuration, read from the environment once at boot; nothing else reads process.env. */
export class AppConfig {
  readonly env: Env;
  readonly dataDir: string;
  readonly jwtSecret: string;
  readonly corsOrigins: string[];

  constructor(source: NodeJS.ProcessEnv = process.env) {
    const parsed = envSchema.safeParse(source);
    if (!parsed.success) {
      const details = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      throw new Error(`Invalid configuration: ${details}`);
    }
    this.env = parsed.data;
    if (this.env.SMTP_URL && !this.env.PUBLIC_URL) {
      throw new Error('Invalid configuration: PUBLIC_URL: is required with SMTP_URL (the address that e-mailed reset links point at)');
    }
    this.dataDir = path.resolve(this.env.DATA_DIR);
    this.jwtSecret = this.env.JWT_SECRET ?? this.loadOrCreateSecret();
    this.corsOrigins = (this.env.CORS_ORIGINS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  }

  get isTest(): boolean {
    return this.env.NODE_ENV === 'test';
  }

  /** A secret generated on first start and kept in the data directory, never a constant in the code. */
  private loadOrCreateSecret(): string {
    const file = path.join(this.dataDir, 'jwt-secret');
    if (existsSync(file)) return readFileSync(file, 'utf8').trim();
    mkdirSync(this.dataDir, { recursive: true });
    const secret = randomBytes(48).toString('base64url');
    writeFileSync(file, secret, { mode: 0o600 });
    return secret;
  }
}
