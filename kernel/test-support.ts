// Test fixture: a Kernel over a real Memory and CpuState with a small fixed address space,
// and `call()` to make a syscall the way the machine does (a7, a0..a5, ecall pc).

import type { CpuState } from '../emulator/cpu/state.ts';
import { createHart } from '../emulator/hart.ts';
import { PROT_READ, PROT_WRITE, USER_TOP, type Memory } from '../emulator/memory.ts';
import type { ProcessImage, Stdio, StdioKind } from './api.ts';
import { Kernel, type KernelOptions } from './kernel.ts';
import { NR, type SyscallName } from './syscall-numbers.ts';

/** Guest layout used by every kernel test. */
export const LAYOUT = {
  /** 64 KiB read-write scratch. */
  data: 0x200000,
  dataSize: 0x10000,
  /** One read-only page. */
  ro: 0x300000,
  /** Initial program break; nothing is mapped there. */
  brkStart: 0x400000,
  /** Never mapped. */
  unmapped: 0x500000,
  /** 8 MiB stack ending at the top of the user half. */
  stackLow: USER_TOP - 0x800000,
  pc: 0x10078,
};

export class TestStdio implements Stdio {
  private pos = 0;
  readonly written: { fd: 1 | 2; data: Uint8Array }[] = [];
  constructor(
    private readonly input: Uint8Array = new Uint8Array(0),
    private readonly tty = false,
    private readonly kinds?: Partial<Record<0 | 1 | 2, StdioKind>>,
  ) {}
  readStdin(len: number): Uint8Array {
    const chunk = this.input.slice(this.pos, this.pos + len);
    this.pos += chunk.length;
    return chunk;
  }
  write(fd: 1 | 2, data: Uint8Array): void {
    this.written.push({ fd, data: data.slice() });
  }
  isatty(): boolean {
    return this.tty;
  }
  kind(fd: 0 | 1 | 2): StdioKind {
    return this.kinds?.[fd] ?? (this.tty ? 'tty' : 'pipe');
  }
  fileSize(): number {
    return 5000;
  }
  text(fd: 1 | 2): string {
    return Buffer.concat(this.written.filter((w) => w.fd === fd).map((w) => w.data)).toString('latin1');
  }
}

export interface Fixture {
  kernel: Kernel;
  cpu: CpuState;
  mem: Memory;
  stdio: TestStdio;
  image: ProcessImage;
  /** Make syscall `nr` (number or name); returns a0 as a signed 64-bit value. */
  call(nr: number | SyscallName, ...args: (number | bigint)[]): bigint;
}

export function makeFixture(opts: Partial<KernelOptions> & { stdio?: TestStdio } = {}): Fixture {
  const { cpu, mem } = createHart();
  mem.map(LAYOUT.data, LAYOUT.dataSize, PROT_READ | PROT_WRITE, 'data');
  mem.map(LAYOUT.ro, 0x1000, PROT_READ, 'ro');
  mem.map(LAYOUT.stackLow, USER_TOP - LAYOUT.stackLow, PROT_READ | PROT_WRITE, '[stack]');
  const image: ProcessImage = { brkStart: LAYOUT.brkStart, auxv: [], execPath: '/tmp/guest/hello', stackLow: LAYOUT.stackLow };
  const stdio = opts.stdio ?? new TestStdio();
  const kernel = new Kernel({ cpu, mem }, { image, seed: 1n, ...opts, stdio });
  const call = (nr: number | SyscallName, ...args: (number | bigint)[]): bigint => {
    cpu.setNum(17, typeof nr === 'number' ? nr : NR[nr]);
    for (let i = 0; i < 6; i++) cpu.setX(10 + i, BigInt(args[i] ?? 0));
    cpu.pc = LAYOUT.pc;
    kernel.syscall();
    return BigInt.asIntN(64, cpu.getX(10));
  };
  return { kernel, cpu, mem, stdio, image, call };
}

/** -errno as call() returns it. */
export const err = (errno: number): bigint => BigInt(-errno);

export function cString(mem: Memory, addr: number, s: string): number {
  mem.write(addr, Uint8Array.from(Buffer.from(s + '\0', 'latin1')));
  return addr;
}
