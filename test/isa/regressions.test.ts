// Shrunk cases of differences the ISA tests found (and that were fixed), kept as
// regression tests: each must stay identical to qemu-riscv64, interpreted and compiled.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caseFromJson } from '../../harness/isa/case.ts';
import { formatOutcome } from '../../harness/isa/format.ts';
import { runCases } from '../../harness/isa/run.ts';
import { JIT_REPEAT } from '../../harness/isa/session.ts';
import { SKIP_REASON, skipNote } from './tools.ts';

const entries: { found: string; case: unknown }[] = JSON.parse(readFileSync(new URL('./regressions.json', import.meta.url), 'utf8'));

describe.skipIf(SKIP_REASON !== '')(`ISA regressions${skipNote}`, () => {
  for (const [mode, repeat] of [['interpreter', 1], ['compiled blocks', JIT_REPEAT]] as const) {
    it(`stay identical to qemu-riscv64 (${mode})`, async () => {
      const cases = entries.map((e) => caseFromJson(e.case));
      expect(cases.length).toBeGreaterThan(0);
      const res = await runCases(cases, { repeat });
      expect(res.filter((r) => r.kind !== 'same').map(formatOutcome)).toEqual([]);
    });
  }
});
