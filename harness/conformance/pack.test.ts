// The portable pack: its ELFs are rv64imac and freestanding, carry their case inside, and
// their runner passes them under qemu-riscv64 (whose records they hold) and under zerosys,
// byte for byte where the spec compares everything. A few syscalls' cases, not all 1,100:
// the pack's own cases against every spec run in `npx zerosys pack` (README).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toolchainStatus } from '../corpus.ts';
import { qemuStatus, ZEROSYS_BIN } from '../qemu.ts';
import { missingTools, skipTitle } from '../../test/skips.ts';
import { buildPack, embedCase, exactness } from './pack.ts';
import { loadSpecDir } from './specs/load.ts';
import { REPO_ROOT } from '../corpus.ts';
import { SPECS_DIR } from './specs/jobs.ts';

describe('pack cases', () => {
  it('embeds the words after the marker, NUL-separated, ending in an empty word', () => {
    const driver = Buffer.concat([Buffer.from('ELF..@@zerosys-case@@\0'), Buffer.alloc(40), Buffer.from('tail')]);
    const out = embedCase(driver, ['call', '172', '0']);
    expect(out.length).toBe(driver.length);
    expect(out.subarray(22, 22 + 12).toString('latin1')).toBe('call\x00172\x000\x00\x00');
    expect(out.subarray(out.length - 4).toString()).toBe('tail');
    expect(() => embedCase(Buffer.from('no marker'), [])).toThrow('no embedded-case marker');
  });

  it('compares byte for byte only where the spec compares everything', () => {
    const { specs } = loadSpecDir(SPECS_DIR, REPO_ROOT);
    const find = (syscall: string, slug: string) => specs.find((s) => s.syscall === syscall)!.cases.find((c) => c.slug === slug)!;
    expect(exactness(find('close', 'bad-fd'))).toBe(true);
    expect(exactness(find('getpid', 'succeeds'))).toMatch(/compared as success/);
    expect(exactness(find('getitimer', 'null-value-pointer'))).toMatch(/qemu deviates from Linux here \(getitimer-null-succeeds\)/);
  });
});

const reason = missingTools(qemuStatus(), toolchainStatus(['c']));
const dir = mkdtempSync(join(tmpdir(), 'zerosys-pack-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(reason !== '')(skipTitle('the pack under qemu-riscv64 and zerosys', reason), () => {
  it('its ELFs are rv64imac without F or D, and pass under both, as its runner says', async () => {
    const manifest = await buildPack({ out: dir, filter: '^spec/(close|dup|dup3|lseek|pipe2|getpid|uname|write)/', verbose: false });
    expect(manifest.cases.length).toBeGreaterThan(30);
    const exact = manifest.cases.filter((c) => c.exact === true).length;
    expect(exact).toBeGreaterThan(25);
    // The ELF header's flags: RVC, soft-float ABI (EF_RISCV_FLOAT_ABI 0).
    const elf = readFileSync(join(dir, manifest.cases[0].elf));
    expect(elf.readUInt32LE(0x30) & 0x7).toBe(0x1);
    const run = (...command: string[]) => spawnSync(join(dir, 'run.sh'), command, { cwd: dir, encoding: 'utf8' });
    const q = run('qemu-riscv64', '-cpu', 'rv64,f=false,d=false');
    expect(q.stdout.trim().split('\n').pop()).toBe(`${exact} pass, 0 fail, ${manifest.cases.length - exact} ran without a byte-for-byte comparison`);
    const z = run(process.execPath, ZEROSYS_BIN, 'run', '--quiet', '--isa', 'rv64imac');
    expect(z.stdout.trim().split('\n').pop()).toBe(`${exact} pass, 0 fail, ${manifest.cases.length - exact} ran without a byte-for-byte comparison`);
    expect(z.status).toBe(0);
    // A wrong implementation fails: one that exits 1 after the case.
    const wrong = run('sh', '-c', '"$@"; exit 1', 'sh', 'qemu-riscv64', '-cpu', 'rv64,f=false,d=false');
    expect(wrong.stdout).toMatch(new RegExp(`^0 pass, ${exact} fail`, 'm'));
    expect(wrong.status).toBe(1);
  }, 180_000);
});
