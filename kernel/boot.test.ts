// Boot: the program is loaded, the hart starts at the entry with sp at argc, argv and envp
// are given once and reach both the stack and /proc/self/cmdline and environ; the booted
// machine then runs to the program's exit.

import { describe, expect, it } from 'vitest';
import { Machine } from '../emulator/machine.ts';
import { ENTRY, minimalElf } from '../emulator/loader/test-elf.ts';
import { ElfError } from '../emulator/loader/elf.ts';
import { boot } from './boot.ts';
import { Kernel } from './kernel.ts';
import { runMachine } from './run.ts';
import { TestStdio } from './test-support.ts';

const argv = ['/bin/prog', 'one', ''];
const envp = ['LANG=C'];

function cString(m: Machine, addr: number): string {
  return Buffer.from(m.mem.readCString(addr)).toString('latin1');
}

describe('boot', () => {
  it('sets pc to the entry and sp to argc, argv and envp laid out above it', () => {
    const m = new Machine();
    const image = boot(m, minimalElf(), { argv, envp, random16: new Uint8Array(16) });
    const sp = m.cpu.getU(2);
    expect(m.cpu.pc).toBe(ENTRY);
    expect(sp % 16).toBe(0);
    expect(Number(m.mem.readBig64(sp))).toBe(argv.length);
    const ptrs = Array.from({ length: argv.length + envp.length + 2 }, (_, i) => Number(m.mem.readBig64(sp + 8 + 8 * i)));
    expect(ptrs.slice(0, 3).map((p) => cString(m, p))).toEqual(argv);
    expect(ptrs[3]).toBe(0);
    expect(cString(m, ptrs[4])).toBe('LANG=C');
    expect(ptrs[5]).toBe(0);
    expect(image).toMatchObject({ execPath: '/bin/prog', argv, envp });
    expect(image.exeLink).toBeUndefined();
  });

  it('execPath and exeLink are the caller\'s when given', () => {
    const image = boot(new Machine(), minimalElf(), { argv: ['p'], envp: [], execPath: './p', exeLink: '/abs/p', random16: new Uint8Array(16) });
    expect([image.execPath, image.exeLink]).toEqual(['./p', '/abs/p']);
  });

  it("AT_HWCAP names the machine's single-letter extensions, bit (letter - 'a'): IMAFDC, or IMAC under rv64imac", () => {
    const hwcap = (m: Machine) => new Map(boot(m, minimalElf(), { argv, envp, random16: new Uint8Array(16) }).auxv).get(16 /* AT_HWCAP */);
    // i=8, m=12, a=0, f=5, d=3, c=2
    expect(hwcap(new Machine())).toBe((1 << 8) | (1 << 12) | (1 << 0) | (1 << 5) | (1 << 3) | (1 << 2));
    expect(hwcap(new Machine({ isa: 'rv64gc' }))).toBe(0x112d);
    expect(hwcap(new Machine({ isa: 'rv64imac' }))).toBe((1 << 8) | (1 << 12) | (1 << 0) | (1 << 2));
  });

  it('a file that cannot run is an ElfError, and the hart is left alone', () => {
    const m = new Machine();
    expect(() => boot(m, new Uint8Array(8), { argv, envp, random16: new Uint8Array(16) })).toThrow(ElfError);
    expect([m.cpu.pc, m.cpu.getU(2)]).toEqual([0, 0]);
  });

  it('the kernel sees argv and envp from the image, and the booted program runs to its exit (the exit ecall itself does not retire)', () => {
    const m = new Machine();
    const image = boot(m, minimalElf(), { argv, envp, random16: new Uint8Array(16) });
    const kernel = new Kernel(m, { stdio: new TestStdio(), image, seed: 0n });
    expect([kernel.state.vfs.cmdline(), kernel.state.vfs.environ()]).toEqual([argv, envp]);
    const stop = runMachine(m, kernel);
    expect([stop.status, stop.message, m.cpu.instret]).toEqual([0, 'exit 0', 2]);
  });
});
