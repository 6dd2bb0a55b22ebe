// fast-check properties as conformance jobs. Each family is one property: fast-check
// generates step sequences (seeded: the seed is printed in the report and on failure), each
// run executes the sequence in the syscall driver on both sides and judges it like a spec
// case. A failure is shrunk, and the smallest failing sequence is printed as a YAML case.

import fc from 'fast-check';
import { runCase, type Job, type RunContext } from '../command.ts';
import type { CaseResult } from '../schema.ts';
import { driverBinary, driverIsa, specDifferentialCase } from '../specs/jobs.ts';
import { judgeSpec } from '../specs/judge.ts';
import type { SpecCase } from '../specs/model.ts';
import { caseToYaml } from '../specs/to-yaml.ts';
import { FAMILIES, resolveSteps, type Family, type RawStep } from './families.ts';

/** Wall-time cap per property (shrinking included); reaching it is not a pass. */
export const TIME_LIMIT_MS = Number(process.env.ZEROSYS_PROPERTY_TIME_LIMIT_MS ?? 240_000);

export const propertyId = (f: Family) => `property/${f.name}/${f.property}`;

/** The spec case a generated sequence stands for: the last step is "the call". */
export function sequenceCase(f: Family, raw: RawStep[], name = `${f.name} property counterexample`): SpecCase {
  const steps = resolveSteps(raw);
  const call = steps[steps.length - 1];
  return {
    syscall: call.name,
    name,
    slug: 'counterexample',
    source: `property ${f.name}`,
    files: f.files,
    setup: steps.slice(0, -1),
    call,
    after: [],
    compareRet: 'exact',
    compareFiles: true,
  };
}

export async function runProperty(f: Family, ctx: RunContext, binary: string): Promise<CaseResult> {
  const id = propertyId(f);
  let lastFailure: CaseResult | undefined;
  let runs = 0;
  const property = fc.asyncProperty(f.steps, async (raw) => {
    runs++;
    const c = sequenceCase(f, raw);
    const result = await runCase(specDifferentialCase(c, binary, driverIsa(ctx)), { ...ctx, record: false }, (_, r) => judgeSpec(c, r, id));
    if (result.outcome === 'skipped') return true; // no reference: nothing to judge
    if (result.outcome !== 'pass') lastFailure = result;
    return result.outcome === 'pass';
  });
  const started = performance.now();
  const details = await fc.check(property, { seed: ctx.seed, numRuns: ctx.propertyRuns, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false });
  const base: CaseResult = {
    id,
    kind: 'property',
    family: f.name,
    covers: f.covers,
    outcome: 'pass',
    reference: ctx.qemuLive ? 'live' : 'missing',
    summary: '',
    checks: {},
    property: { seed: ctx.seed, runs },
  };
  const secs = ((performance.now() - started) / 1000).toFixed(0);
  if (!details.failed && details.interrupted) {
    // Fewer runs than asked for guard less than the baseline promises: not a pass.
    return { ...base, outcome: 'error', summary: `time limit (${TIME_LIMIT_MS / 1000} s) after ${details.numRuns} of ${ctx.propertyRuns} runs, all identical so far, seed ${ctx.seed}: not a pass` };
  }
  if (!details.failed) {
    return { ...base, summary: `${details.numRuns} random sequences identical on both sides, seed ${ctx.seed}, ${secs} s` };
  }
  const shrunk = details.counterexample?.[0] as RawStep[] | undefined;
  // The sequence up to the first step that differs: that step becomes the case's call.
  const counter = shrunk && lastFailure?.firstStep !== undefined ? shrunk.slice(0, lastFailure.firstStep + 1) : shrunk;
  const example = counter ? sequenceCase(f, counter, `${f.name} counterexample (seed ${ctx.seed})`) : undefined;
  const yaml = example ? caseToYaml(example) : undefined;
  const replay = `zerosys conformance --only property --filter '${id}' --seed ${ctx.seed}`;
  const failure = lastFailure;
  return {
    ...base,
    outcome: failure?.outcome === 'unsupported' ? 'unsupported' : failure ? 'fail' : 'error',
    summary: `counterexample after ${details.numRuns} runs (${details.numShrinks} shrinks), seed ${ctx.seed}: ${failure?.summary ?? String(details.errorInstance ?? 'property failed')}`,
    details: [`replay: ${replay} (fast-check path ${details.counterexamplePath})`, ...(failure?.details ?? [])],
    diffs: failure?.diffs,
    trace: failure?.trace,
    stop: failure?.stop,
    syscall: example?.call.name,
    property: { seed: ctx.seed, runs, counterexample: yaml },
  };
}

export async function propertyJobs(ctx: RunContext, wanted: (id: string) => boolean, toolchain: boolean): Promise<Job[]> {
  const families = FAMILIES.filter((f) => wanted(propertyId(f)));
  if (!families.length) return [];
  const binary = await driverBinary(ctx, toolchain);
  return families.map((f) => ({
    id: propertyId(f),
    kind: 'property' as const,
    run: async (): Promise<CaseResult> => {
      if (!binary) {
        return { id: propertyId(f), kind: 'property', family: f.name, covers: f.covers, outcome: 'skipped', reference: 'missing', summary: 'no syscall driver: the cross toolchain is absent and no recorded driver binary exists', checks: {} };
      }
      if (!ctx.qemuLive) {
        return { id: propertyId(f), kind: 'property', family: f.name, covers: f.covers, outcome: 'skipped', reference: 'missing', summary: 'properties need a live qemu-riscv64 (random cases cannot be recorded in advance)', checks: {} };
      }
      return runProperty(f, ctx, binary);
    },
  }));
}
