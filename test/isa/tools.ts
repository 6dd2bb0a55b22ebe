// Whether the ISA differential tests can run here: they need GNU as/ld for riscv64 and
// qemu-riscv64. When not, the suites skip and say why.

import { qemuStatus } from '../../harness/qemu.ts';
import { binutilsMissing } from '../../harness/isa/assemble.ts';
import { missingTools, skipTitle } from '../skips.ts';

const qemu = qemuStatus();
export const SKIP_REASON = missingTools(binutilsMissing(), qemu);
if (SKIP_REASON) console.warn(`[isa] differential tests SKIPPED: ${SKIP_REASON}`);

/** Suite title suffix showing the skip reason. */
export const skipNote = skipTitle('', SKIP_REASON);
