// A vitest reporter (next to the default one, vitest.config.ts): after the run it prints how
// many tests were skipped because a tool was missing (their names say "[SKIPPED: reason]",
// test/skips.ts), grouped by reason, and names tests skipped without a reason. With
// ZEROSYS_REQUIRE_COMPARISONS=1 (.ci/run, where setup installs every tool) a skipped
// comparison fails the run: a broken qemu must not turn CI's comparisons into green skips.

import type { Reporter, TestModule } from 'vitest/node';

const TAG = /\[SKIPPED: ([^\]]*)\]/;

export interface SkippedTest {
  /** Suite names and the test name, joined with " > ". */
  fullName: string;
  file: string;
}

export interface SkipSummary {
  /** Tests skipped for a missing tool. */
  skipped: number;
  lines: string[];
  /** The run must fail: comparisons were required and some were skipped. */
  fail: boolean;
}

export function summarizeSkips(tests: SkippedTest[], required: boolean): SkipSummary {
  const byReason = new Map<string, string[]>();
  const unexplained: string[] = [];
  for (const t of tests) {
    const reason = TAG.exec(t.fullName)?.[1];
    if (reason) byReason.set(reason, [...(byReason.get(reason) ?? []), t.fullName]);
    else unexplained.push(`${t.file}: ${t.fullName}`);
  }
  const skipped = tests.length - unexplained.length;
  const lines = [`zerosys: ${skipped} differential comparison(s) skipped because a tool is missing${skipped ? ':' : ''}`];
  for (const [reason, names] of byReason) lines.push(`  ${names.length} × ${reason} (e.g. ${names[0]})`);
  if (unexplained.length) {
    lines.push(`zerosys: ${unexplained.length} test(s) skipped without a reason in their names:`, ...unexplained.slice(0, 10).map((n) => `  ${n}`));
    if (unexplained.length > 10) lines.push(`  … and ${unexplained.length - 10} more`);
  }
  const fail = required && skipped > 0;
  if (fail) lines.push('zerosys: ZEROSYS_REQUIRE_COMPARISONS=1 and comparisons were skipped: the run fails (is qemu-riscv64 installed and working?)');
  return { skipped, lines, fail };
}

export default class SkipReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const tests: SkippedTest[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        if (t.result().state === 'skipped') tests.push({ fullName: t.fullName, file: m.moduleId.replace(`${process.cwd()}/`, '') });
      }
    }
    const summary = summarizeSkips(tests, process.env.ZEROSYS_REQUIRE_COMPARISONS === '1');
    if (summary.fail) process.exitCode = 1;
    (summary.skipped ? console.warn : console.log)(`\n${summary.lines.join('\n')}`);
  }
}
