import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HEADER_SYSCALLS, NEWER_SYSCALLS, NR } from './syscall-numbers.ts';
import { SYSCALL_TABLE } from './table.ts';
import { ARG_KINDS, MODULES } from './types.ts';
import { E } from './errno.ts';

/** __NR_* of <asm/unistd.h> as the riscv64 cross preprocessor sees it (the reference). */
function headerNumbers(): Map<string, number> {
  const src = '#include <asm/unistd.h>\n';
  const names = [...execFileSync('riscv64-linux-gnu-cpp', ['-dM', '-x', 'c', '-'], { input: src, encoding: 'utf8' }).matchAll(/^#define __NR_(\w+) /gm)]
    .map((m) => m[1])
    .filter((n) => n !== 'syscalls' && n !== 'arch_specific_syscall');
  const probe = src + names.map((n) => `@@${n}@@ __NR_${n}\n`).join('');
  const out = execFileSync('riscv64-linux-gnu-cpp', ['-P', '-x', 'c', '-'], { input: probe, encoding: 'utf8' });
  const map = new Map<string, number>();
  // Values are literals or (244 + 15)-style sums; evaluate with the sum of the literals.
  for (const m of out.matchAll(/^@@(\w+)@@ (.*)$/gm)) map.set(m[1], [...m[2].matchAll(/\d+/g)].reduce((a, d) => a + Number(d), 0));
  return map;
}

describe('syscall table', () => {
  const header = headerNumbers();

  it('has exactly one row per riscv64 header syscall, with the header number', () => {
    expect(header.size).toBeGreaterThan(300);
    for (const [name, nr] of header) {
      const rows = SYSCALL_TABLE.filter((r) => r.name === name);
      expect(rows, name).toHaveLength(1);
      expect(rows[0].nr, name).toBe(nr);
    }
  });

  it('has no row outside the header except the documented newer ones', () => {
    const extra = SYSCALL_TABLE.filter((r) => !header.has(r.name)).map((r) => r.name);
    expect(extra.sort()).toEqual(Object.keys(NEWER_SYSCALLS).sort());
    expect(NR.riscv_hwprobe).toBe(258); // __NR_arch_specific_syscall (244) + 14, Linux 6.4
  });

  it('uses every number once', () => {
    const nrs = SYSCALL_TABLE.map((r) => r.nr);
    expect(new Set(nrs).size).toBe(nrs.length);
  });

  it('follows riscv64 __ARCH_WANT choices', () => {
    expect(header.has('renameat')).toBe(false);
    expect(header.get('renameat2')).toBe(276);
    expect(header.get('newfstatat')).toBe(79);
    expect(header.get('getrlimit')).toBe(163);
    expect(header.get('clone3')).toBe(435);
    expect(header.get('memfd_secret')).toBe(447);
    expect(header.get('riscv_flush_icache')).toBe(259);
    expect(header.has('open')).toBe(false);
    expect(header.has('clock_gettime64')).toBe(false);
  });

  it('generated numbers agree with the header', () => {
    expect(HEADER_SYSCALLS.length).toBe(header.size);
    for (const n of HEADER_SYSCALLS) expect(NR[n], n).toBe(header.get(n));
  });

  it('declares each implemented row with its argument signature, as in Linux\'s prototype', () => {
    const implemented = SYSCALL_TABLE.filter((r) => r.support === 'full' || r.support === 'partial');
    expect(implemented.filter((r) => r.sig === undefined).map((r) => r.name)).toEqual([]);
    expect(SYSCALL_TABLE.flatMap((r) => [...(r.sig ?? '')]).filter((k) => !(k in ARG_KINDS))).toEqual([]);
    // include/linux/syscalls.h: read(unsigned int fd, char __user *buf, size_t count);
    // mmap(addr, len, prot, flags, fd, off); openat(int dfd, const char __user *filename, int flags, umode_t mode)
    const sig = (name: string) => SYSCALL_TABLE.find((r) => r.name === name)?.sig;
    expect([sig('read'), sig('mmap'), sig('openat')]).toEqual(['fbz', 'alngfo', 'dsgm']);
  });

  it('declares what each row needs', () => {
    for (const r of SYSCALL_TABLE) {
      expect(MODULES, r.name).toContain(r.module);
      if (r.support === 'full' || r.support === 'partial') expect(r.handler, r.name).toBeTypeOf('function');
      else expect(r.handler, r.name).toBeUndefined();
      if (r.support === 'partial' || r.support === 'enosys') expect(r.note.length, r.name).toBeGreaterThan(10);
    }
  });

  it("names, for each implemented row, the module whose folder holds its handler (kernel/MODULE/...)", () => {
    // Which folder exports each handler, from table.ts's own imports.
    const source = readFileSync(new URL('./table.ts', import.meta.url), 'utf8');
    const folderOf = new Map<string, string>();
    for (const m of source.matchAll(/^import \{([^}]+)\} from '\.\/(\w+)\/[\w-]+\.ts';/gm)) {
      for (const part of m[1].split(',')) folderOf.set(part.trim().split(/\s+as\s+/)[0], m[2]);
    }
    let checked = 0;
    for (const r of SYSCALL_TABLE) {
      const folder = r.handler && folderOf.get(r.handler.name);
      if (!folder) continue;
      expect(r.module, `${r.name}: handler ${r.handler!.name} lives in kernel/${folder}/`).toBe(folder);
      checked++;
    }
    // Nearly every implemented row has a handler imported from a module folder.
    expect(checked).toBeGreaterThan(SYSCALL_TABLE.filter((r) => r.handler).length * 0.9);
  });

  it('lists, beside each implemented row, errnos that exist (what the fuzzer holds handlers to)', () => {
    const names = new Set([...Object.keys(E), 'ENOTSUP']);
    // Calls that cannot fail on Linux (they return a value or do not return).
    const never = ['exit', 'exit_group', 'set_tid_address', 'sched_yield', 'rt_sigreturn', 'setfsuid', 'setfsgid', 'umask', 'getpid', 'getppid', 'getuid', 'geteuid', 'getgid', 'getegid', 'gettid', 'brk'];
    for (const r of SYSCALL_TABLE) {
      for (const e of r.errors) expect(names.has(e), `${r.name}: ${e}`).toBe(true);
      if (r.support === 'full' || r.support === 'partial') expect(r.errors.length > 0 || never.includes(r.name), r.name).toBe(true);
      else expect(r.errors, r.name).toEqual([]);
    }
    expect(SYSCALL_TABLE.find((r) => r.name === 'read')?.errors).toEqual(['EAGAIN', 'EBADF', 'EFAULT', 'EINTR', 'EINVAL', 'EIO', 'EISDIR', 'EWOULDBLOCK']);
  });
});
