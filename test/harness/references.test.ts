// Recorded references: qemu's results saved with --record are used where qemu is not
// (--recorded simulates a machine without it); such cases say "recorded", never "live";
// a record made for other inputs is stale and reported, not used.

import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toolchainStatus } from '../../harness/corpus.ts';
import { qemuStatus } from '../../harness/qemu.ts';
import { runConformance } from '../../harness/conformance/command.ts';
import { missingTools, skipTitle } from '../skips.ts';

const reason = missingTools(toolchainStatus(['c']), qemuStatus());

describe.skipIf(reason !== '')(skipTitle('recorded references', reason), () => {
  const dir = mkdtempSync(join(tmpdir(), 'zerosys-refs-'));
  const references = join(dir, 'refs');
  const common = { only: 'spec', filter: '^spec/(close|dup)/', silent: true, inProcess: true, references };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('records live results, then judges against them without qemu', async () => {
    const live = await runConformance({ ...common, out: join(dir, 'live'), record: true });
    expect(live.report.cases.every((c) => c.reference === 'live')).toBe(true);
    const records = readdirSync(join(references, 'cases'));
    expect(records).toContain('spec__close__bad-fd.json');
    const record = JSON.parse(readFileSync(join(references, 'cases', 'spec__close__bad-fd.json'), 'utf8'));
    expect(record.qemuVersion).toMatch(/^qemu-riscv64 version /);
    expect(Date.parse(record.recordedAt)).toBeGreaterThan(0);

    const offline = await runConformance({ ...common, out: join(dir, 'offline'), recorded: true });
    expect(offline.report.environment.qemu.available).toBe(false);
    expect(offline.report.cases.every((c) => c.reference === 'recorded')).toBe(true);
    expect(offline.report.cases.map((c) => [c.id, c.outcome])).toEqual(live.report.cases.map((c) => [c.id, c.outcome]));
    expect(readFileSync(join(dir, 'offline', 'summary.md'), 'utf8')).toContain('reference: absent (not used (--recorded');
  }, 120_000);

  it('reports missing and stale references and skips those cases', async () => {
    rmSync(join(references, 'cases', 'spec__dup__bad-fd.json'));
    const stalePath = join(references, 'cases', 'spec__close__twice.json');
    writeFileSync(stalePath, JSON.stringify({ ...JSON.parse(readFileSync(stalePath, 'utf8')), inputHash: 'other inputs' }));
    const run = await runConformance({ ...common, out: join(dir, 'partial'), recorded: true });
    expect(run.report.references).toEqual({ missing: ['spec/dup/bad-fd'], stale: ['spec/close/twice'] });
    const byId = new Map(run.report.cases.map((c) => [c.id, c]));
    expect(byId.get('spec/dup/bad-fd')).toMatchObject({ outcome: 'skipped', reference: 'missing' });
    expect(byId.get('spec/close/twice')).toMatchObject({ outcome: 'skipped', reference: 'missing' });
    expect(readFileSync(join(dir, 'partial', 'summary.md'), 'utf8')).toContain('Stale: spec/close/twice');
  }, 120_000);
});
