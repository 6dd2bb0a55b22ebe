// Tests' assembler: GNU as and ld from the riscv64 cross binutils, linked at a fixed address
// without relaxation so the code is exactly as written. Test-only (no product code imports it).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const AS = 'riscv64-linux-gnu-as';
const LD = 'riscv64-linux-gnu-ld';
const OBJCOPY = 'riscv64-linux-gnu-objcopy';

/** Why code cannot be assembled here ('' when binutils are installed). */
export const assemblerMissing: string = (() => {
  try {
    execFileSync(AS, ['--version'], { stdio: 'ignore' });
    return '';
  } catch {
    return `${AS} not installed`;
  }
})();

/** The .text of `src` (RV64GC, compressed unless rvc is false) linked at `base`, then an ebreak. */
export function assemble(src: string, base: number, rvc = true): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'zerosys-as-'));
  try {
    writeFileSync(join(dir, 'a.s'), `${rvc ? '' : '.option norvc\n'}${src}\nebreak\n`);
    execFileSync(AS, ['-march=rv64gc', '-mno-relax', '-o', join(dir, 'a.o'), join(dir, 'a.s')]);
    execFileSync(LD, ['--no-relax', '-Ttext=0x' + base.toString(16), '-e', '0x' + base.toString(16), '-o', join(dir, 'a.elf'), join(dir, 'a.o')]);
    execFileSync(OBJCOPY, ['-O', 'binary', '-j', '.text', join(dir, 'a.elf'), join(dir, 'a.bin')]);
    return readFileSync(join(dir, 'a.bin'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
