// Builds the API with tsc and copies the seed documents beside the compiled module that reads them.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';

rmSync('apps/api/dist', { recursive: true, force: true });
execFileSync('npx', ['tsc', '-p', 'apps/api/tsconfig.json'], { stdio: 'inherit' });
cpSync('apps/api/src/modules/consultations/seed', 'apps/api/dist/apps/api/src/modules/consultations/seed', { recursive: true });
