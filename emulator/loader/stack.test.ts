// Initial stack layout against Linux's fs/exec.c + fs/binfmt_elf.c create_elf_tables.

import { describe, expect, it } from 'vitest';
import { Memory, PROT_READ, PROT_WRITE } from '../memory.ts';
import { ElfError } from './errors.ts';
import {
  AT_EXECFN,
  AT_NULL,
  AT_RANDOM,
  HWCAP_IMAFDC,
  STACK_LOW,
  STACK_TOP,
  buildInitialStack,
  mapStack,
} from './stack.ts';

const aux = { phdr: 0x10040, phent: 56, phnum: 7, entry: 0x10598, uid: 1000, gid: 100, hwcap: HWCAP_IMAFDC };
const random16 = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

function fresh(): Memory {
  const mem = new Memory();
  mapStack(mem);
  return mem;
}

function cstr(mem: Memory, addr: number): string {
  return new TextDecoder().decode(mem.readCString(addr));
}

describe('initial stack', () => {
  it('maps an 8 MiB RW [stack] ending at 2^38 (riscv64 sv39 STACK_TOP)', () => {
    const mem = fresh();
    expect(STACK_TOP).toBe(2 ** 38);
    expect(mem.listVmas()).toEqual([{ start: 2 ** 38 - 8 * 1024 * 1024, end: 2 ** 38, prot: PROT_READ | PROT_WRITE, name: '[stack]' }]);
    expect(STACK_LOW).toBe(2 ** 38 - 8 * 1024 * 1024);
  });

  it('matches a hand-derived create_elf_tables layout', () => {
    // Worked example (T = STACK_TOP, a multiple of 16):
    //   T-8  zero word; execfn "/p\0" at T-11; envp "X=1\0" at T-15;
    //   argv "bc\0" at T-18, "a\0" at T-20; arch_align_stack -> T-32; AT_RANDOM at T-48;
    //   18 auxv pairs (36 words) + argc + 2 argv + NULL + 1 envp + NULL = 42 words = 336
    //   bytes; STACK_ROUND(T-48-336) = T-384.
    const mem = fresh();
    const T = STACK_TOP;
    const { sp, auxv } = buildInitialStack(mem, { argv: ['a', 'bc'], envp: ['X=1'], execPath: '/p', random16, aux });
    expect(T - sp).toBe(384);
    expect(mem.readU64(T - 8)).toBe(0);
    expect(cstr(mem, T - 11)).toBe('/p');
    expect(cstr(mem, T - 15)).toBe('X=1');
    expect(cstr(mem, T - 18)).toBe('bc');
    expect(cstr(mem, T - 20)).toBe('a');
    expect(Array.from(mem.read(T - 48, 16))).toEqual(Array.from(random16));

    expect(mem.readU64(sp)).toBe(2); // argc
    expect(mem.readU64(sp + 8)).toBe(T - 20);
    expect(mem.readU64(sp + 16)).toBe(T - 18);
    expect(mem.readU64(sp + 24)).toBe(0);
    expect(mem.readU64(sp + 32)).toBe(T - 15);
    expect(mem.readU64(sp + 40)).toBe(0);
    const auxFromMem: Array<[number, number]> = [];
    for (let a = sp + 48; ; a += 16) {
      auxFromMem.push([mem.readU64(a), mem.readU64(a + 8)]);
      if (mem.readU64(a) === AT_NULL) break;
    }
    expect(auxFromMem).toEqual(auxv);
    // The auxv ends exactly at the random bytes (minus STACK_ROUND padding, 0 here).
    expect(sp + 48 + 16 * auxv.length).toBe(T - 48);
  });

  it('emits the riscv64 Linux auxv keys in kernel order with Linux values', () => {
    const mem = fresh();
    const { auxv } = buildInitialStack(mem, { argv: ['x'], envp: [], execPath: '/bin/x', random16, aux });
    // Keys/values: include/uapi/linux/auxvec.h numbers, order of ARCH_DLINFO (riscv) then
    // create_elf_tables; AT_MINSIGSTKSZ = sizeof(rt_sigframe) = 1088; CLOCKS_PER_SEC 100;
    // HWCAP 0x112d is what qemu-riscv64 reports for rv64gc (bits I M A F D C).
    const random = auxv.find(([k]) => k === AT_RANDOM)![1];
    const execfn = auxv.find(([k]) => k === AT_EXECFN)![1];
    expect(auxv).toEqual([
      [51, 1088],
      [16, 0x112d],
      [6, 4096],
      [17, 100],
      [3, 0x10040],
      [4, 56],
      [5, 7],
      [7, 0],
      [8, 0],
      [9, 0x10598],
      [11, 1000],
      [12, 1000],
      [13, 100],
      [14, 100],
      [23, 0],
      [25, random],
      [31, execfn],
      [0, 0],
    ]);
    expect(cstr(mem, execfn)).toBe('/bin/x');
    expect(Array.from(mem.read(random, 16))).toEqual(Array.from(random16));
  });

  it('keeps sp 16-byte aligned and strings in order for any argv/envp', () => {
    for (let argc = 0; argc < 6; argc++) {
      for (let envc = 0; envc < 4; envc++) {
        const argv = Array.from({ length: argc }, (_, i) => 'arg'.repeat(i + 1));
        const envp = Array.from({ length: envc }, (_, i) => `E${i}=${'v'.repeat(i * 3)}`);
        const mem = fresh();
        const { sp } = buildInitialStack(mem, { argv, envp, execPath: './prog', random16, aux });
        expect(sp % 16).toBe(0);
        expect(mem.readU64(sp)).toBe(argc);
        const argvBack = argv.map((_, i) => cstr(mem, mem.readU64(sp + 8 + 8 * i)));
        expect(argvBack).toEqual(argv);
        expect(mem.readU64(sp + 8 + 8 * argc)).toBe(0);
        const envBase = sp + 16 + 8 * argc;
        expect(envp.map((_, i) => cstr(mem, mem.readU64(envBase + 8 * i)))).toEqual(envp);
        expect(mem.readU64(envBase + 8 * envc)).toBe(0);
        // argv strings first, then envp strings, then execfn, each right after the other.
        const addrs = [...argv.map((_, i) => mem.readU64(sp + 8 + 8 * i)), ...envp.map((_, i) => mem.readU64(envBase + 8 * i))];
        const strs = [...argv, ...envp];
        for (let i = 1; i < addrs.length; i++) expect(addrs[i]).toBe(addrs[i - 1] + strs[i - 1].length + 1);
      }
    }
  });

  it('encodes strings as UTF-8', () => {
    const mem = fresh();
    const { sp } = buildInitialStack(mem, { argv: ['é✓'], envp: [], execPath: '/x', random16, aux });
    expect(Array.from(mem.readCString(mem.readU64(sp + 8)))).toEqual([0xc3, 0xa9, 0xe2, 0x9c, 0x93]);
  });

  it('refuses argument lists Linux would refuse with E2BIG', () => {
    const mem = fresh();
    // MAX_ARG_STRLEN = 32 pages per string (include/uapi/linux/binfmts.h).
    expect(() => buildInitialStack(mem, { argv: ['x'.repeat(32 * 4096)], envp: [], execPath: '/x', random16, aux })).toThrow(
      new ElfError('argument too long: argv[0] is longer than 131072 bytes (E2BIG)'),
    );
    // A quarter of the 8 MiB stack limit in total.
    const many = Array.from({ length: 20 }, () => 'y'.repeat(120000));
    expect(() => buildInitialStack(mem, { argv: [], envp: many, execPath: '/x', random16, aux })).toThrow(/argument list too long: .* limit 2097152 \(E2BIG\)/);
  });
});
