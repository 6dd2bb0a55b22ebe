// Spec cases as conformance jobs: the driver is built once (cached like the corpus), each
// case becomes a differential run of the driver with the case's argv and directory layout.

import { join } from 'node:path';
import { buildCorpus, REPO_ROOT } from '../../corpus.ts';
import { runCase, type Job, type RunContext } from '../command.ts';
import type { DifferentialCase } from '../differential.ts';
import type { CaseResult } from '../schema.ts';
import { describeTree, layOut } from '../workdir.ts';
import { driverArgv } from './driver-args.ts';
import { judgeSpec } from './judge.ts';
import { loadSpecDir } from './load.ts';
import type { IsaName } from '../../../emulator/isa.ts';
import type { SpecCase } from './model.ts';

export const SPECS_DIR = join(REPO_ROOT, 'specs');
export const DRIVER_MANIFEST = join(REPO_ROOT, 'harness', 'conformance', 'driver', 'manifest.yaml');

export const specCaseId = (c: SpecCase) => `spec/${c.syscall}/${c.slug}`;

/**
 * The ISA profile the spec driver is built for in this run: rv64imac for a target that runs
 * only that (a zkVM), else rv64gc.
 */
export function driverIsa(ctx: RunContext | undefined): IsaName {
  const t = ctx?.target;
  return t?.kind === 'declared' && t.capabilities.isa === 'rv64imac' ? 'rv64imac' : 'rv64gc';
}

/** The syscall driver binary for the run's ISA (built, or recorded when the toolchain is absent). */
export async function driverBinary(ctx: RunContext | undefined, toolchain: boolean): Promise<string | undefined> {
  const name = driverIsa(ctx) === 'rv64imac' ? 'sysdriver-imac' : 'sysdriver';
  if (toolchain) {
    const [driver] = await buildCorpus({ manifest: DRIVER_MANIFEST, filter: (s) => s.name === name });
    return driver.binary;
  }
  return name === 'sysdriver' ? ctx?.references.recordedBinary(ctx.references.driverHash()) : undefined;
}

export function specDifferentialCase(c: SpecCase, binary: string, isa: IsaName = 'rv64gc'): DifferentialCase {
  return {
    id: specCaseId(c),
    kind: 'spec',
    binary,
    ...(isa !== 'rv64gc' ? { isa } : {}),
    args: driverArgv(c),
    stdin: Buffer.alloc(0),
    setup: (dir) => layOut(dir, c.files),
    inspect: c.compareFiles ? describeTree : undefined,
    files: c.files.length > 0,
    timeoutMs: 30_000,
    fingerprint: JSON.stringify(c.files.map((f) => ({ ...f, content: f.content?.toString('base64') }))),
  };
}

export async function specJobs(
  ctx: RunContext,
  wanted: (id: string) => boolean,
  toolchain: boolean,
): Promise<{ jobs: Job[]; problems: CaseResult[]; files: Record<string, string> }> {
  const { specs, errors } = loadSpecDir(SPECS_DIR, REPO_ROOT);
  const files: Record<string, string> = {};
  for (const s of specs) files[s.syscall] = s.path;
  // One error case per invalid file, listing every problem in it.
  const byFile = new Map<string, typeof errors>();
  for (const e of errors) byFile.set(e.file, [...(byFile.get(e.file) ?? []), e]);
  const problems: CaseResult[] = [...byFile].map(([file, list]) => ({
    id: `spec/${file.replace(/^specs\//, '').replace(/\.yaml$/, '')}/invalid-spec`,
    kind: 'spec',
    syscall: file.replace(/^specs\//, '').replace(/\.yaml$/, ''),
    outcome: 'error',
    reference: 'missing',
    summary: `invalid spec: ${list[0].message}${list.length > 1 ? ` (and ${list.length - 1} more)` : ''}`,
    details: list.map((e) => e.message),
    checks: {},
    source: `${file}:${list[0].line}`,
  }));
  const cases = specs.flatMap((s) => s.cases).filter((c) => wanted(specCaseId(c)));
  if (!cases.length) return { jobs: [], problems, files };
  const binary = await driverBinary(ctx, toolchain);
  if (!binary) {
    for (const c of cases) {
      problems.push({ id: specCaseId(c), kind: 'spec', syscall: c.syscall, outcome: 'skipped', reference: 'missing', summary: 'no syscall driver: the cross toolchain is absent and no recorded driver binary exists', checks: {}, source: c.source });
    }
    return { jobs: [], problems, files };
  }
  if (ctx.record) ctx.references.setDriver(binary);
  const jobs = cases.map((c) => {
    const dc = specDifferentialCase(c, binary, driverIsa(ctx));
    return { id: dc.id, kind: 'spec' as const, run: () => runCase(dc, ctx, (_, runs) => judgeSpec(c, runs, dc.id)) };
  });
  return { jobs, problems, files };
}
