// Tests that need a host tool (qemu-riscv64, the riscv64 cross toolchain, GNU binutils, Go)
// skip where it is missing, and say why in their names: "NAME [SKIPPED: reason]". After the
// run, test/skip-reporter.ts counts those names ("N differential comparisons skipped"), so a
// green `npm test` without qemu still shows what it did not compare, and CI
// (ZEROSYS_REQUIRE_COMPARISONS=1) fails when anything was skipped.

import type { ToolStatus } from '../harness/qemu.ts';

/** What a skipped test's name carries; the reporter looks for it. */
export const SKIP_TAG = '[SKIPPED: ';

/**
 * Why a test that needs these cannot run here: the reasons of the tools that are not ok
 * (a ToolStatus, or a reason string, '' or undefined when present), '' when all are.
 */
export function missingTools(...needs: (ToolStatus | string | undefined)[]): string {
  const reasons = needs.flatMap((n) => (n === undefined || n === '' ? [] : typeof n === 'string' ? [n] : n.ok ? [] : [n.reason]));
  return [...new Set(reasons)].join('; ');
}

/** A test or suite name, with the skip reason appended when there is one. */
export function skipTitle(title: string, reason: string): string {
  return reason ? `${title} ${SKIP_TAG}${reason}]` : title;
}
