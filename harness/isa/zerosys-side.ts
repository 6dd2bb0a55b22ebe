// The zerosys side of the ISA tests: load the test ELF into a Machine and run it in-process.
// The guests only need write(2) and exit(2), so a minimal syscall handler stands in for the
// library OS: the ISA results then depend on the emulator alone, not on kernel work.

import { readFileSync } from 'node:fs';
import { Machine } from '../../emulator/machine.ts';
import { DEFAULT_ENGINE, type EngineName } from '../../emulator/engines.ts';
import { GuestExit } from '../../kernel/api.ts';
import { boot } from '../../kernel/boot.ts';
import { runMachine } from '../../kernel/run.ts';

const SYS_CLOSE = 57;
const SYS_WRITE = 64;
const SYS_EXIT = 93;
const SYS_EXIT_GROUP = 94;
const EBADF = 9;
const ENOSYS = 38;
/** Block compile threshold for ISA cases (below JIT_REPEAT, so repeated cases run compiled). */
export const ISA_HOT = 16;

export interface ZerosysResult {
  status: number;
  stdout: Buffer;
  detail: string;
}

export function runOnZerosys(elf: string, maxInsns: number, engine: EngineName = DEFAULT_ENGINE): ZerosysResult {
  // Cases repeat JIT_REPEAT (40) times in jit mode: compile early so the later passes are blocks.
  const machine = new Machine({ engine, hot: ISA_HOT });
  boot(machine, readFileSync(elf), { argv: [elf], envp: [], random16: new Uint8Array(16) });
  const cpu = machine.cpu;
  const out: Uint8Array[] = [];
  const handler = {
    syscall(): void {
      const nr = cpu.getU(17);
      let ret: number;
      switch (nr) {
        case SYS_WRITE: {
          const fd = cpu.getU(10);
          const len = cpu.getU(12);
          if (fd !== 1 && fd !== 2) ret = -EBADF;
          else {
            if (fd === 1) out.push(machine.mem.read(cpu.getU(11), len));
            ret = len;
          }
          break;
        }
        case SYS_CLOSE:
          ret = -EBADF; // the test guests never open anything; close(-1) and friends
          break;
        case SYS_EXIT:
        case SYS_EXIT_GROUP:
          throw new GuestExit(cpu.getI32(10));
        default:
          ret = -ENOSYS;
      }
      cpu.setNum(10, ret);
    },
  };
  try {
    const stop = runMachine(machine, handler, { maxInsns });
    return { status: stop.status, stdout: Buffer.concat(out), detail: stop.message };
  } finally {
    machine.dispose(); // thousands of cases run in one process: reuse the guest memory
  }
}
