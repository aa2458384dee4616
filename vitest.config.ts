import path from 'node:path';
import { defineConfig } from 'vitest/config';

const shared = path.resolve('libs/shared/src/index.ts');
// NestJS needs the legacy decorators with their type metadata (constructor injection).
const nestTransform = { oxc: { decorator: { legacy: true, emitDecoratorMetadata: true } } } as const;

export default defineConfig({
  resolve: { alias: { '@forum/shared': shared } },
  test: {
    globals: true,
    environment: 'node',
    hookTimeout: 60_000,
    testTimeout: 30_000,
    projects: [
      {
        extends: true,
        test: { name: 'shared', include: ['libs/shared/src/**/*.spec.ts'] },
      },
      {
        extends: true,
        ...nestTransform,
        test: { name: 'api', include: ['apps/api/src/**/*.spec.ts'] },
      },
      {
        extends: true,
        ...nestTransform,
        test: {
          name: 'e2e',
          include: ['test/api/**/*.test.ts', 'test/realtime/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
        },
      },
      {
        // Faults, races and hostile input: whole server processes and timing bounds, so these run
        // after the other projects, one file at a time, with the machine to themselves.
        extends: true,
        ...nestTransform,
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // Operating the forum: real server processes on their own embedded PostgreSQL (its password,
        // a crash of it, Ctrl-C, each start-up failure's one line).
        extends: true,
        ...nestTransform,
        test: {
          name: 'ops',
          include: ['test/ops/**/*.test.ts'],
          exclude: ['test/ops/**/*.slow.test.ts'],
          // Generous: several clusters are created per test, and a loaded 2-core machine makes an
          // initdb take 30 s or more. Nothing here asserts speed.
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        // Fresh clones where a newcomer puts them (npm ci, npm start): slow, so last and alone.
        extends: true,
        ...nestTransform,
        test: {
          name: 'fresh-clone',
          include: ['test/ops/**/*.slow.test.ts'],
          testTimeout: 900_000,
          hookTimeout: 300_000,
          maxWorkers: 1,
          sequence: { groupOrder: 2 },
        },
      },
      {
        extends: true,
        ...nestTransform,
        test: {
          name: 'web',
          include: ['test/web/**/*.test.ts', 'apps/web/src/**/*.spec.{ts,tsx}'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
