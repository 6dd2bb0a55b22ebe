// Guest-memory readers for the --strace printer: a failed read gives undefined (qemu then
// prints the pointer instead of the string), never an exception into the guest run.

import type { Memory } from '../emulator/memory.ts';
import type { StraceMemory } from '../kernel/strace.ts';

/** @param memory the memory of the process making the call (it changes when processes take turns) */
export function straceMemory(memory: () => Memory): StraceMemory {
  return {
    readString(addr) {
      const mem = memory();
      try {
        // qemu prints the whole string, however long (lock_user_string has no limit).
        return Buffer.from(mem.readCString(Number(BigInt.asUintN(64, addr)), 1 << 20)).toString('latin1');
      } catch {
        return undefined;
      }
    },
    readI64(addr) {
      const mem = memory();
      try {
        return BigInt.asIntN(64, mem.readBig64(Number(BigInt.asUintN(64, addr))));
      } catch {
        return undefined;
      }
    },
  };
}
