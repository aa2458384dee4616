import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppConfig } from './app-config.js';

describe('AppConfig', () => {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), 'forum-config-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('treats variables set to an empty string as unset', () => {
    const c = new AppConfig({ DATABASE_URL: '', REDIS_URL: '', JWT_SECRET: '', DATA_DIR: dataDir });
    expect(c.env.DATABASE_URL).toBeUndefined();
    expect(c.env.REDIS_URL).toBeUndefined();
    expect(c.jwtSecret.length).toBeGreaterThanOrEqual(32);
  });

  it('generates the JWT secret once and keeps it in the data directory, readable by its owner only', () => {
    const a = new AppConfig({ DATA_DIR: dataDir });
    const b = new AppConfig({ DATA_DIR: dataDir });
    expect(b.jwtSecret).toBe(a.jwtSecret);
    const file = path.join(dataDir, 'jwt-secret');
    expect(readFileSync(file, 'utf8').trim()).toBe(a.jwtSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('names every invalid setting', () => {
    expect(() => new AppConfig({ PORT: 'abc', DATABASE_URL: 'not a url', DATA_DIR: dataDir })).toThrow(/PORT.*DATABASE_URL/);
  });
});
