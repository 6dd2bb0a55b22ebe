// End-to-end differential test: every corpus program (except `slow` ones) runs under
// qemu-riscv64 (the reference) and under `zerosys run`; stdout, stderr and the exit status
// must be byte-identical. Without qemu, the cross toolchain or the CLI the suite is skipped,
// and the reason is in the suite name and printed as a warning.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, it } from 'vitest';
import { buildCorpus, loadManifest, REPO_ROOT, toolchainStatus, type BuiltProgram, type ProgramSpec } from '../../harness/corpus.ts';
import { qemuStatus, runQemu, runZerosys, type RunResult } from '../../harness/qemu.ts';
import { diffBytes, renderBytesDiff } from '../../harness/conformance/bytes-diff.ts';

const inTestSuite = (spec: ProgramSpec) => !spec.tags.includes('slow');
const specs = loadManifest().filter(inTestSuite);

function skipReason(): string {
  const reasons: string[] = [];
  const toolchain = toolchainStatus();
  if (!toolchain.ok) reasons.push(toolchain.reason);
  const qemu = qemuStatus();
  if (!qemu.ok) reasons.push(qemu.reason);
  if (!existsSync(join(REPO_ROOT, 'harness', 'cli.ts'))) reasons.push('harness/cli.ts (zerosys run) does not exist yet');
  return reasons.join('; ');
}

const reason = skipReason();
if (reason) console.warn(`[e2e] corpus differential tests SKIPPED: ${reason}`);

const GUEST_TIMEOUT_MS = 120_000;

/** At most `n` guest pairs in flight: one qemu + one zerosys per core on a 2-core box. */
function limiter(n: number) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(job: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((wake) => waiting.push(wake));
    active++;
    try {
      return await job();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

function tail(buf: Buffer, bytes = 400): string {
  return buf.subarray(Math.max(0, buf.length - bytes)).toString('utf8');
}

function compare(program: BuiltProgram, ref: RunResult, got: RunResult): string[] {
  const problems: string[] = [];
  if (got.timedOut) problems.push(`zerosys did not finish within ${GUEST_TIMEOUT_MS} ms`);
  if (got.status !== ref.status) {
    problems.push(
      `exit status differs: qemu=${ref.status} zerosys=${got.status}` +
        (got.stderr.length ? `\n  zerosys stderr (tail): ${JSON.stringify(tail(got.stderr))}` : ''),
    );
  }
  for (const [what, a, b] of [
    ['stdout', ref.stdout, got.stdout],
    ['stderr', ref.stderr, got.stderr],
  ] as const) {
    const difference = diffBytes(what, a, b);
    if (difference) problems.push(renderBytesDiff(difference));
  }
  if (problems.length) problems.unshift(`${program.name}: ${program.binary} ${JSON.stringify(program.args)} (stdin: ${program.stdinLabel})`);
  return problems;
}

describe.skipIf(reason !== '')(
  `corpus differential: qemu-riscv64 vs zerosys run${reason ? ` [SKIPPED: ${reason}]` : ''}`,
  () => {
    const built = new Map<string, BuiltProgram>();
    const limit = limiter(2);

    beforeAll(async () => {
      for (const program of await buildCorpus({ filter: inTestSuite })) built.set(program.name, program);
    });

    for (const spec of specs) {
      it.concurrent(
        spec.name,
        // Concurrent tests must use the expect of their own context.
        async ({ expect }) => {
          const program = built.get(spec.name);
          expect(program, `${spec.name} was not built`).toBeDefined();
          const { binary, args, stdin } = program!;
          const [ref, got] = await limit(async () => [
            await runQemu(binary, args, stdin, { timeoutMs: GUEST_TIMEOUT_MS }),
            // --quiet: no zerosys diagnostic on death by signal, so stderr is the guest's alone.
            await runZerosys(binary, args, stdin, { timeoutMs: GUEST_TIMEOUT_MS, extraArgs: ['--quiet'] }),
          ]);
          // The reference itself must have run cleanly, or the comparison means nothing.
          expect(ref.timedOut, `qemu-riscv64 timed out on ${spec.name}`).toBe(false);
          expect(ref.outputTruncated, `qemu-riscv64 output of ${spec.name} hit the cap`).toBe(false);

          const problems = compare(program!, ref, got);
          if (problems.length) expect.fail(problems.join('\n'));
          expect(got.status).toBe(ref.status);
          expect(got.stdout.equals(ref.stdout)).toBe(true);
          expect(got.stderr.equals(ref.stderr)).toBe(true);
        },
        10 * 60_000,
      );
    }
  },
);
