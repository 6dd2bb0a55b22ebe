import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { findOnPath } from '../harness/qemu.ts';
import { skipTitle } from '../test/skips.ts';
import { E, ERRNO_INFO, errnoName } from './errno.ts';

const CPP = 'riscv64-linux-gnu-cpp';
const noCpp = findOnPath(CPP) ? '' : `${CPP} not found on PATH (apt-get install cpp-riscv64-linux-gnu)`;

it.skipIf(noCpp)(skipTitle('matches every E* value of the riscv64 <asm/errno.h>', noCpp), () => {
  const defs = execFileSync(CPP, ['-dM', '-x', 'c', '-'], { input: '#include <asm/errno.h>\n', encoding: 'utf8' });
  const ref = new Map<string, string>();
  for (const m of defs.matchAll(/^#define (E[A-Z0-9]+) (\w+)$/gm)) ref.set(m[1], m[2]);
  const value = (n: string): number => (/^\d+$/.test(ref.get(n)!) ? Number(ref.get(n)) : value(ref.get(n)!));
  expect(ref.size).toBe(Object.keys(E).length);
  for (const n of ref.keys()) expect(E[n as keyof typeof E], n).toBe(value(n));
});

it('names values for traces (man 3 errno)', () => {
  expect(errnoName(14)).toBe('EFAULT');
  expect(errnoName(11)).toBe('EAGAIN');
  expect(ERRNO_INFO.get(2)?.text).toBe('No such file or directory');
  expect(errnoName(9999)).toBe('9999');
});
