// `zerosys run --isa rv64imac`: a program with one FP instruction, after a loop hot enough to
// be compiled by either engine, dies of SIGILL at that instruction (its SA_SIGINFO handler
// sees si_code ILL_ILLOPC and si_addr at the instruction, and exits 42), in every engine and
// without compilation; without --isa it runs (prints "fp ok", exit 0). For the F/D
// instructions the expected outcome is checked against qemu-riscv64 with F and D turned off
// (`-cpu rv64,f=false,d=false`). The FP CSRs are not: qemu 7.2's user mode never checks that
// F exists for them (target/riscv/csr.c, fs(): the check is under !CONFIG_USER_ONLY), whereas
// on a hart without F they do not exist and Linux leaves sstatus.FS off, so an access traps
// (SIGILL) — what zerosys does.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { AS, LD, binutilsMissing } from '../../harness/isa/assemble.ts';
import { ZEROSYS_BIN, qemuStatus, runQemu, runZerosys } from '../../harness/qemu.ts';
import { missingTools, skipTitle } from '../skips.ts';

const SIGILL_AT_INSN = 42;

const SIGACTION = `
  li a7, 134              # rt_sigaction(SIGILL, &act, NULL, 8)
  li a0, 4
  lla a1, act
  li a2, 0
  li a3, 8
  ecall
  bnez a0, fail`;

/** Assembly: rt_sigaction(SIGILL, SA_SIGINFO) unless handled is false, a 3000-iteration loop, then `insn`. */
function program(insn: string, handled = true): string {
  return `
.globl _start
.text
_start:${handled ? SIGACTION : ''}
  li t0, 3000
1:addi t0, t0, -1
  bnez t0, 1b
  lla a1, data
.option push
.option norvc
.option rvc
fp_insn:
  ${insn}
.option pop
  li a7, 64               # write(1, "fp ok\\n", 6)
  li a0, 1
  lla a1, msg
  li a2, 6
  ecall
  li a7, 94               # exit_group(0)
  li a0, 0
  ecall
fail:
  li a7, 94
  li a0, 45
  ecall
handler:                  # a0 = signo, a1 = siginfo *
  li t2, 4
  bne a0, t2, bad_code
  lw t0, 8(a1)            # si_code: ILL_ILLOPC is 1
  li t2, 1
  bne t0, t2, bad_code
  ld t1, 16(a1)           # si_addr: the instruction
  lla t2, fp_insn
  bne t1, t2, bad_addr
  li a7, 94
  li a0, ${SIGILL_AT_INSN}
  ecall
bad_code:
  li a7, 94
  li a0, 43
  ecall
bad_addr:
  li a7, 94
  li a0, 44
  ecall
.data
.balign 8
act:
  .dword handler
  .dword 4                # SA_SIGINFO
  .dword 0                # sa_mask
data:
  .dword 0x3ff0000000000000
msg:
  .ascii "fp ok\\n"
`;
}

const dir = mkdtempSync(join(tmpdir(), 'zerosys-run-isa-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build(name: string, insn: string, handled = true): string {
  writeFileSync(join(dir, `${name}.s`), program(insn, handled));
  execFileSync(AS, ['-march=rv64gc', '-mno-relax', '-o', join(dir, `${name}.o`), join(dir, `${name}.s`)]);
  execFileSync(LD, ['--no-relax', '-static', '-o', join(dir, name), join(dir, `${name}.o`)]);
  return join(dir, name);
}

const ENGINES = [['--engine', 'js'], [], ['--no-jit']];

async function zerosys(args: string[], elf: string) {
  const r = await execa(process.execPath, [ZEROSYS_BIN, 'run', ...args, elf], { reject: false, env: { LANG: 'C' }, extendEnv: false });
  return [r.exitCode, r.stdout, r.stderr] as const;
}

const FP_INSNS: Array<[string, string]> = [
  ['fld', 'fld fa0, 0(a1)'],
  ['c-fld', 'c.fld fa0, 0(a1)'],
  ['fmadd', 'fmadd.d fa0, fa1, fa2, fa3'],
];
const CSR_INSNS: Array<[string, string]> = [
  ['frcsr', 'frcsr a0'],
  ['fsflags', 'fsflags a0'],
];

const reason = missingTools(binutilsMissing());
const qemu = qemuStatus();

describe.skipIf(reason !== '')(skipTitle('zerosys run --isa rv64imac', reason), () => {
  it('an F/D instruction or FP CSR access is SIGILL at it (ILL_ILLOPC, si_addr = pc) under rv64imac, in every engine; without --isa it runs', async () => {
    for (const [name, insn] of [...FP_INSNS, ...CSR_INSNS]) {
      const elf = build(name, insn);
      for (const engine of ENGINES) {
        const what = `${insn} ${engine.join(' ')}`;
        expect.soft(await zerosys([...engine, '--isa', 'rv64imac'], elf), what).toEqual([SIGILL_AT_INSN, '', '']);
        expect.soft(await zerosys([...engine, '--isa', 'rv64gc'], elf), what).toEqual([0, 'fp ok', '']);
        expect.soft(await zerosys(engine, elf), what).toEqual([0, 'fp ok', '']);
      }
    }
  }, 120_000);

  it('without a handler the guest dies of SIGILL: status 132 and a zerosys: line naming the instruction', async () => {
    const elf = build('nohandler', 'fld fa0, 0(a1)', false);
    const [status, stdout, stderr] = await zerosys(['--isa', 'rv64imac'], elf);
    expect([status, stdout]).toEqual([128 + 4, '']);
    expect(stderr).toMatch(/^zerosys: guest killed by signal 4 \(illegal instruction \(fld: no D in rv64imac\) 0x[0-9a-f]+ at pc 0x[0-9a-f]+\)$/);
    expect(await zerosys(['--isa', 'rv64imac', '--quiet'], elf)).toEqual([128 + 4, '', '']);
  }, 60_000);

  it('--isa takes rv64gc or rv64imac; anything else is a usage error (status 125)', async () => {
    const elf = build('bad-isa', 'fld fa0, 0(a1)');
    const [status, stdout, stderr] = await zerosys(['--isa', 'rv32i'], elf);
    expect([status, stdout]).toEqual([125, '']);
    expect(stderr).toContain("option '--isa <profile>' argument 'rv32i' is invalid. expected one of: rv64gc, rv64imac");
  }, 30_000);

  it.skipIf(!qemu.ok)(skipTitle('qemu-riscv64 without F and D agrees for the F/D instructions', qemu.ok ? '' : qemu.reason), async () => {
    for (const [name, insn] of FP_INSNS) {
      const elf = build(`q-${name}`, insn);
      const imac = await execa('qemu-riscv64', ['-cpu', 'rv64,f=false,d=false', elf], { reject: false });
      expect.soft([imac.exitCode, imac.stdout], insn).toEqual([SIGILL_AT_INSN, '']);
      const gc = await execa('qemu-riscv64', [elf], { reject: false });
      expect.soft([gc.exitCode, gc.stdout], insn).toEqual([0, 'fp ok']);
    }
  }, 60_000);

  it.skipIf(!qemu.ok)(skipTitle('the harness runs an rv64imac program as such on both sides (isaArgs)', qemu.ok ? '' : qemu.reason), async () => {
    // What the conformance run and the corpus test do for NAME-imac programs: an FP
    // instruction without a handler is then SIGILL (132) under both, and runs without it.
    const elf = build('runners', 'fld fa0, 0(a1)', false);
    for (const isa of ['rv64imac', undefined] as const) {
      const ref = await runQemu(elf, [], '', { isa });
      const got = await runZerosys(elf, [], '', { isa, extraArgs: ['--quiet'] });
      const expected = isa ? [132, ''] : [0, 'fp ok\n'];
      expect([ref.status, ref.stdout.toString()], `qemu-riscv64 ${isa ?? 'rv64gc'}`).toEqual(expected);
      expect([got.status, got.stdout.toString()], `zerosys ${isa ?? 'rv64gc'}`).toEqual(expected);
    }
  }, 60_000);
});
