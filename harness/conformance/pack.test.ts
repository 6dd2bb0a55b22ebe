// The portable pack: its ELFs are rv64imac and freestanding, carry their case inside (and
// create the files their spec lays out), and their runner passes them under qemu-riscv64
// (whose records they hold) and under zerosys, byte for byte where the spec compares
// everything. A few syscalls' cases, not all 1,600: the pack's own cases against every spec
// run in `npx zerosys pack` (README).

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toolchainStatus } from '../corpus.ts';
import { qemuStatus, ZEROSYS_BIN } from '../qemu.ts';
import { missingTools, skipTitle } from '../../test/skips.ts';
import { buildCorpus, REPO_ROOT } from '../corpus.ts';
import { runSide } from './exec.ts';
import { buildPack, embedCase, exactness, layoutWords } from './pack.ts';
import { DRIVER_MANIFEST, SPECS_DIR } from './specs/jobs.ts';
import { loadSpecDir } from './specs/load.ts';
import type { FileSetup } from './specs/model.ts';
import { describeTree, layOut } from './workdir.ts';

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
  // close..write need no files; read's cases mostly lay out the file they read.
  const filter = '^spec/(close|dup|dup3|lseek|pipe2|getpid|uname|write|read)/';
  const qemu = ['qemu-riscv64', '-cpu', 'rv64,f=false,d=false'];
  const run = (...command: string[]) => spawnSync(join(dir, 'run.sh'), command, { cwd: dir, encoding: 'utf8' });
  let built: Awaited<ReturnType<typeof buildPack>> | undefined;
  const pack = async () => (built ??= await buildPack({ out: dir, filter, verbose: false }));
  // A case whose spec lays out a.txt ("hello world") and reads 5 bytes of it.
  const filesCase = 'spec/read/reads-the-start-of-a-file';

  it('its ELFs are rv64imac without F or D, and pass under both, as its runner says', async () => {
    const manifest = await pack();
    expect(manifest.cases.length).toBeGreaterThan(40);
    expect(manifest.left).toEqual([]);
    const exact = manifest.cases.filter((c) => c.exact === true).length;
    expect(exact).toBeGreaterThan(35);
    // The ELF header's flags: RVC, soft-float ABI (EF_RISCV_FLOAT_ABI 0).
    const elf = readFileSync(join(dir, manifest.cases[0].elf));
    expect(elf.readUInt32LE(0x30) & 0x7).toBe(0x1);
    const q = run(...qemu);
    expect(q.stdout.trim().split('\n').pop()).toBe(`${exact} pass, 0 fail, ${manifest.cases.length - exact} ran without a byte-for-byte comparison, 0 skipped`);
    const z = run(process.execPath, ZEROSYS_BIN, 'run', '--quiet', '--isa', 'rv64imac');
    expect(z.stdout.trim().split('\n').pop()).toBe(`${exact} pass, 0 fail, ${manifest.cases.length - exact} ran without a byte-for-byte comparison, 0 skipped`);
    expect(z.status).toBe(0);
    // A wrong implementation fails: one that exits 1 after the case.
    const wrong = run('sh', '-c', '"$@"; exit 1', 'sh', ...qemu);
    expect(wrong.stdout).toMatch(new RegExp(`^0 pass, ${exact} fail`, 'm'));
    expect(wrong.status).toBe(1);
  }, 240_000);

  it('a case that needs files creates them itself, passes under both, and is skipped with its reason for a target without files', async () => {
    const manifest = await pack();
    const needing = manifest.cases.filter((c) => c.needs.includes('files'));
    expect(needing.map((c) => c.id)).toContain(filesCase);
    expect(manifest.cases.find((c) => c.id === 'spec/close/bad-fd')!.needs).toEqual([]);
    // Its record is qemu's read of the file the case itself laid out.
    const record = readFileSync(join(dir, manifest.cases.find((c) => c.id === filesCase)!.expected), 'latin1');
    expect(record).toContain(`step 1 nr=63 ret=5\nstep 1 arg 1 ${Buffer.from('hello').toString('hex')}\n`);
    const q = run(...qemu);
    expect(q.stdout).toContain(`PASS ${filesCase}\n`);
    const z = run(process.execPath, ZEROSYS_BIN, 'run', '--quiet', '--isa', 'rv64imac');
    expect(z.stdout).toContain(`PASS ${filesCase}\n`);
    const exactWithout = manifest.cases.filter((c) => c.exact === true && !c.needs.includes('files')).length;
    const ranWithout = manifest.cases.filter((c) => c.exact !== true && !c.needs.includes('files')).length;
    const none = run('--no-files', ...qemu);
    expect(none.stdout).toContain(`SKIP ${filesCase} (needs files: it creates files in its working directory, and the target has none: --no-files)\n`);
    expect(none.stdout.trim().split('\n').pop()).toBe(`${exactWithout} pass, 0 fail, ${ranWithout} ran without a byte-for-byte comparison, ${needing.length} skipped`);
    expect(none.status).toBe(0);
    // Where the directory cannot be written (/proc), the case says so and fails: status 3.
    const readOnly = run('sh', '-c', 'cd /proc && exec "$@"', 'sh', ...qemu);
    expect(readOnly.stdout).toMatch(new RegExp(`^FAIL ${filesCase} \\(status 3, qemu-riscv64 0\\): sysdriver: cannot lay out the case's files: openat a\\.txt returned -\\d+$`, 'm'));
    expect(readOnly.status).toBe(1);
    expect(run('--help').stdout).toContain('--no-files');
    expect(run('--bogus', 'x').status).toBe(2);
  }, 240_000);
});

describe.skipIf(reason !== '')(skipTitle('pack cases lay out their files as the harness does', reason), () => {
  // Every kind of entry and mode the specs use, and the awkward orders: a parent directory
  // that is declared after its contents and is read-only, set-id bits, mode 0, a size: file.
  const files: FileSetup[] = [
    { path: 'ro/inner/f', type: 'file', content: Buffer.from('hi\n'), mode: 0o600 },
    { path: 'ro', type: 'dir', mode: 0o555 },
    { path: 'suid', type: 'file', content: Buffer.from('00ff', 'hex'), mode: 0o4755 },
    { path: 'sgid-dir', type: 'dir', mode: 0o2775 },
    { path: 'none', type: 'file', mode: 0 },
    { path: 'empty', type: 'file' },
    { path: 'zeros', type: 'file', content: Buffer.alloc(10_000) },
    { path: 'link', type: 'symlink', target: 'ro/inner/f' },
    { path: 'dangling', type: 'symlink', target: 'nowhere' },
  ];
  // zerosys has no mknodat (no spec lays out a fifo today): qemu-riscv64 only.
  const fifo: FileSetup = { path: 'p', type: 'fifo', mode: 0o640 };

  it('the driver\'s layout words give the tree layOut gives on the host, under qemu-riscv64 and zerosys, under umask 022', async () => {
    const [driver] = await buildCorpus({ manifest: DRIVER_MANIFEST, filter: (s) => s.name === 'sysdriver-imac' });
    const work = join(dir, 'layout');
    const sides: Array<['qemu' | 'zerosys', FileSetup[]]> = [['qemu', [...files, fifo]], ['zerosys', files]];
    const dirs = sides.flatMap(([side]) => [join(work, `${side}-host`, 'run'), join(work, `${side}-guest`, 'run')]);
    const old = process.umask(0o022);
    try {
      for (const [side, list] of sides) {
        const host = join(work, `${side}-host`, 'run');
        const guest = join(work, `${side}-guest`, 'run');
        mkdirSync(host, { recursive: true });
        mkdirSync(guest, { recursive: true });
        await layOut(host, list);
        const r = await runSide(side, driver.binary, { cwd: guest, args: layoutWords(list), trace: false, isa: 'rv64imac' });
        expect(r.stderr.toString()).toBe('');
        expect([r.status, r.stdout.toString()]).toEqual([0, '==sysdriver==\n==end==\n']);
        expect(await describeTree(guest)).toBe(await describeTree(host));
      }
    } finally {
      process.umask(old);
      // The read-only directory, writable again so that afterAll can remove it as any user.
      for (const d of dirs) if (existsSync(join(d, 'ro'))) chmodSync(join(d, 'ro'), 0o755);
    }
  }, 60_000);
});
