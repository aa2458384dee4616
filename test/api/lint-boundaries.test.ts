import { ESLint } from 'eslint';
import { rmSync, writeFileSync } from 'node:fs';
import { MESSAGES } from '../../eslint.config.mjs';

/**
 * The boundaries are enforced by the build (eslint.config.mjs, run by `npm test` and
 * `npm run lint`): each rule refuses what it is meant to refuse, lets through what it is not,
 * and the tree as it stands lints clean.
 */

const eslint = new ESLint({ cwd: process.cwd() });

/** The messages of the restricted-imports rule for `code` as if it stood at `filePath`. */
async function refusals(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

describe('the lint boundaries', () => {
  it('fails a module that imports another module\'s repository (a real file in the tree), and passes its own repository and other modules\' services', async () => {
    const probe = `apps/api/src/modules/reports/zz-lint-probe-${process.pid}.ts`;
    writeFileSync(
      probe,
      [
        "import { PositionsRepository } from '../positions/positions.repository.js';",
        "import { ReportsRepository } from './reports.repository.js';",
        "import { PositionsService } from '../positions/positions.service.js';",
        'export const probe = [PositionsRepository, ReportsRepository, PositionsService];',
        '',
      ].join('\n'),
    );
    try {
      const [result] = await eslint.lintFiles([probe]);
      expect(result!.errorCount).toBe(1);
      expect(result!.messages[0]).toMatchObject({ ruleId: 'no-restricted-imports', line: 1, message: expect.stringContaining(MESSAGES.repository) });
    } finally {
      rmSync(probe, { force: true });
    }
  });

  it('refuses another module\'s repository by any path, types included', async () => {
    const file = 'apps/api/src/modules/moderation/probe.ts';
    expect(await refusals(file, "import type { CommentRow } from '../../modules/discussion/discussion.repository.js';\nexport type X = CommentRow;\n")).toEqual([
      expect.stringContaining(MESSAGES.repository),
    ]);
    expect(await refusals(file, "import { UsersRepository } from '../participants/users.repository';\nexport const x = UsersRepository;\n")).toEqual([
      expect.stringContaining(MESSAGES.repository),
    ]);
    expect(await refusals(file, "import { ModerationRepository } from './moderation.repository.js';\nexport const x = ModerationRepository;\n")).toEqual([]);
  });

  it('refuses a domain module that imports the live channel', async () => {
    expect(await refusals('apps/api/src/modules/discussion/probe.ts', "import { LiveGateway } from '../../realtime/live.gateway.js';\nexport const x = LiveGateway;\n")).toEqual([
      expect.stringContaining(MESSAGES.realtime),
    ]);
    // The live channel itself may use the modules' services.
    expect(await refusals('apps/api/src/realtime/probe.ts', "import { TargetsService } from '../modules/consultations/targets.service.js';\nexport const x = TargetsService;\n")).toEqual([]);
  });

  it('refuses libs/shared importing an app, and the web client importing the API', async () => {
    expect(await refusals('libs/shared/src/probe.ts', "import { AppConfig } from '../../../apps/api/src/config/app-config.js';\nexport const x = AppConfig;\n")).toEqual([
      expect.stringContaining(MESSAGES.sharedImportsApp),
    ]);
    expect(await refusals('apps/web/src/lib/probe.ts', "import { toHttpError } from '../../../api/src/common/errors/http-exception.filter.js';\nexport const x = toHttpError;\n")).toEqual([
      expect.stringContaining(MESSAGES.webImportsApi),
    ]);
    expect(await refusals('apps/web/src/lib/probe.ts', "import type { ErrorBody } from '@forum/shared';\nexport type X = ErrorBody;\n")).toEqual([]);
  });

  it('passes the tree as it stands', async () => {
    const results = await eslint.lintFiles(['apps/api/src', 'apps/web/src', 'libs/shared/src']);
    const problems = results.flatMap((r) => r.messages.map((m) => `${r.filePath}:${m.line} ${m.message}`));
    expect(problems).toEqual([]);
    expect(results.length).toBeGreaterThan(100);
  }, 180_000);
});
