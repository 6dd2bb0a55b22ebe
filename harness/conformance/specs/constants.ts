// Symbolic constants a spec may use in arguments ("O_WRONLY|O_CREAT", "AT_FDCWD"): every
// name of the generated kernel/abi.ts, with the value the riscv64 cross compiler gives it
// from the Linux headers (rerun kernel/gen-abi.ts to change it). The values are as the
// headers write them: FUTEX_BITSET_MATCH_ANY is 0xffffffff, RLIM_INFINITY and
// RUSAGE_CHILDREN are -1.

import { ABI_BY_NAME } from '../../../kernel/abi.ts';
import { E } from '../../../kernel/errno.ts';

export const CONSTANTS: Readonly<Record<string, number>> = ABI_BY_NAME;

/** errno names for expectations ("errno: ENOENT"). */
export const ERRNO: Readonly<Record<string, number>> = E;

/** Evaluate "A|B|0x10", "-1", "AT_FDCWD": a |-joined list of names and integers. */
export function evalConstant(expr: string): bigint | string {
  let value = 0n;
  for (const raw of expr.split('|')) {
    const part = raw.trim();
    if (/^-?(0x[0-9a-fA-F]+|0o[0-7]+|0b[01]+|\d+)$/.test(part)) {
      value |= part.startsWith('-') ? -BigInt(part.slice(1)) : BigInt(part);
    } else if (part in CONSTANTS) {
      value |= BigInt(CONSTANTS[part]);
    } else {
      return `unknown constant "${part}"`;
    }
  }
  return value;
}
