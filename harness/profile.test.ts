// Kernel configuration options of `zerosys run`: module lists, memory sizes, epochs,
// profile files, and the fail-fast stop when a syscall's module is not linked.
// Expected values: the definitions in profile.ts (binary units; epoch as seconds since
// 1970 or an ISO 8601 date, e.g. 2024-01-01T00:00:00Z = 1704067200 s).

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZerosysStop } from '../kernel/api.ts';
import { makeFixture } from '../kernel/test-support.ts';
import { buildCorpus, toolchainStatus } from './corpus.ts';
import { ProfileError, loadProfile, parseEpoch, parseMem, parseModules, resolveProfile } from './profile.ts';
import { runZerosys } from './qemu.ts';
import { missingTools, skipTitle } from '../test/skips.ts';

describe('option parsers', () => {
  it('modules', () => {
    expect(parseModules('memory, vfs,memory')).toEqual(['memory', 'vfs']);
    expect(parseModules('all')).toHaveLength(9);
    expect(parseModules('memory,net')).toEqual(['memory', 'net']);
    expect(() => parseModules('memory,inet')).toThrowError(/unknown module inet \(modules: memory, vfs, sched, signal, time, random, process, net, ipc, or all\)/);
  });

  it('memory sizes in binary units', () => {
    expect(parseMem('4096')).toBe(4096);
    expect(parseMem('512M')).toBe(512 * 2 ** 20);
    expect(parseMem('1.5GiB')).toBe(1.5 * 2 ** 30);
    expect(parseMem('2g')).toBe(2 ** 31);
    expect(() => parseMem('lots')).toThrow(ProfileError);
    expect(() => parseMem('0')).toThrow(ProfileError);
  });

  it('epochs: seconds (with a fraction) or an ISO date', () => {
    expect(parseEpoch('1234.5')).toBe(1_234_500_000_000n);
    expect(parseEpoch('2024-01-01T00:00:00Z')).toBe(1_704_067_200n * 1_000_000_000n);
    expect(parseEpoch(7)).toBe(7_000_000_000n);
    expect(() => parseEpoch('yesterday')).toThrow(ProfileError);
  });

  it('profile files; command-line options win', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zerosys-profile-'));
    const file = join(dir, 'p.yaml');
    writeFileSync(file, 'modules: [memory, process]\nmem: 64M\nepoch: 2024-01-01T00:00:00Z\n');
    expect(loadProfile(file)).toEqual({ modules: ['memory', 'process'], memBytes: 64 * 2 ** 20, epochNs: 1_704_067_200_000_000_000n });
    expect(resolveProfile({ profile: file, memBytes: 1024 })).toMatchObject({ modules: ['memory', 'process'], memBytes: 1024 });
    writeFileSync(file, 'isa: rv64imac\nonUnsupported: enosys\n');
    expect(loadProfile(file)).toEqual({ isa: 'rv64imac', onUnsupported: 'enosys' });
    expect(resolveProfile({ profile: file, onUnsupported: 'fail' })).toMatchObject({ isa: 'rv64imac', onUnsupported: 'fail' });
    writeFileSync(file, 'isa: rv32i\n');
    expect(() => loadProfile(file)).toThrowError(/bad isa 'rv32i' \(rv64gc or rv64imac\)/);
    writeFileSync(file, 'onUnsupported: ignore\n');
    expect(() => loadProfile(file)).toThrowError(/bad onUnsupported 'ignore' \(fail or enosys\)/);
    writeFileSync(file, 'modules: memory\nswap: 1G\n');
    expect(() => loadProfile(file)).toThrowError(/unknown key swap/);
    expect(() => loadProfile(join(dir, 'none.yaml'))).toThrowError(/cannot read profile/);
  });
});

describe('linked modules', () => {
  it('a syscall of a module that is not linked stops the guest, naming the module', () => {
    const f = makeFixture({ modules: parseModules('vfs,process') });
    expect(f.call('getpid')).toBe(1000n);
    expect(() => f.call('mmap', 0, 4096, 3, 0x22, -1, 0)).toThrowError(
      new ZerosysStop("unsupported syscall mmap (222) at pc 0x10078: module 'memory' is not linked"),
    );
    expect(() => f.call('clock_gettime', 0, 0)).toThrowError(/module 'time' is not linked/);
  });

  const noCompiler = missingTools(toolchainStatus(['c']));
  it.skipIf(noCompiler !== '')(skipTitle('zerosys run --modules: exit status 125 and one stderr line', noCompiler), async () => {
    const [hello] = await buildCorpus({ filter: (s) => s.name === 'hello' });
    const r = await runZerosys(hello.binary, [], '', { extraArgs: ['--modules', 'vfs,process'] });
    expect(r.status).toBe(125);
    expect(r.stderr.toString()).toMatch(/^zerosys: unsupported syscall \w+ \(\d+\) at pc 0x[0-9a-f]+: module '(memory|sched)' is not linked\n$/);
    const ok = await runZerosys(hello.binary, [], '', { extraArgs: ['--modules', 'all', '--mem', '256M', '--epoch', '0'] });
    expect(ok.status).toBe(0);
  }, 60_000);
});
