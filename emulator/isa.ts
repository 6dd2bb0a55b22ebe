// The ISA profile a machine executes (`zerosys run --isa`): which extensions' instructions
// decode. rv64gc is everything the opcode table has; rv64imac is what a zkVM executes (no F,
// no D): every F/D instruction, compressed forms included, and the F extension's CSRs
// (fflags, frm, fcsr) are illegal instructions there, as on a hart without them (the guest
// gets SIGILL at the instruction). The decode cache refuses them (cpu/decode-cache.ts), so
// the interpreter and both block compilers never see one.

import type { Ext } from './decode/opcodes.ts';
import { CSR_FCSR, CSR_FFLAGS, CSR_FRM } from './cpu/csr.ts';

/** An extension a profile may include: the opcode table's, plus C (compressed parcels). */
export type IsaExt = Ext | 'C';

const ISAS = {
  rv64gc: ['I', 'M', 'A', 'F', 'D', 'C', 'Zicsr', 'Zifencei'],
  rv64imac: ['I', 'M', 'A', 'C', 'Zicsr', 'Zifencei'],
} as const satisfies Record<string, readonly IsaExt[]>;

export type IsaName = keyof typeof ISAS;

export const DEFAULT_ISA: IsaName = 'rv64gc';

/** Every profile name, for option parsers. */
export const ISA_NAMES = Object.keys(ISAS) as IsaName[];

export function isIsaName(name: string): name is IsaName {
  return Object.hasOwn(ISAS, name);
}

export function isaExtensions(isa: IsaName): ReadonlySet<IsaExt> {
  if (!isIsaName(isa)) throw new RangeError(`unknown ISA '${String(isa)}' (expected ${ISA_NAMES.join(', ')})`);
  return new Set<IsaExt>(ISAS[isa]);
}

/** The extension a user-mode CSR belongs to, when it is not always there (the counters are Zicntr's, which both profiles have). */
export const CSR_EXTENSION: ReadonlyMap<number, IsaExt> = new Map([
  [CSR_FFLAGS, 'F'],
  [CSR_FRM, 'F'],
  [CSR_FCSR, 'F'],
]);

/**
 * AT_HWCAP for a profile: Linux's riscv hwcap has bit (letter - 'a') for each single-letter
 * extension the harts have (arch/riscv/kernel/cpufeature.c; qemu-riscv64 passes its CPU's
 * misa letters I, M, A, F, D, C, V the same way).
 */
export function hwcapOf(isa: IsaName): number {
  let bits = 0;
  for (const e of isaExtensions(isa)) if (e.length === 1) bits |= 1 << (e.charCodeAt(0) - 65);
  return bits;
}
