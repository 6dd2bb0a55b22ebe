// `zerosys run` refuses options it cannot honour before the guest starts: one `zerosys:`
// line on stderr, nothing on stdout, exit status 125 (README "Exit status"), never a
// JavaScript stack trace.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { buildCorpus, toolchainStatus } from '../../harness/corpus.ts';
import { ZEROSYS_BIN } from '../../harness/qemu.ts';
import { RunOptionError, parseMount, parseSeed } from '../../harness/run-options.ts';
import { missingTools, skipTitle } from '../skips.ts';

describe('run option checks', () => {
  it('--seed: 0 to 2^64-1, decimal or hex', () => {
    expect(parseSeed('0')).toBe(0n);
    expect(parseSeed('0x10')).toBe(16n);
    expect(parseSeed('18446744073709551615')).toBe((1n << 64n) - 1n);
    for (const bad of ['-5', '1.5', '', ' 5', '18446744073709551616', '1e3']) expect(() => parseSeed(bad)).toThrow(RunOptionError);
  });
  it('--mount: guest paths normalised; /, /dev, /proc, /sys and below refused', () => {
    const host = tmpdir();
    expect(parseMount(`${host}:/data/`)).toEqual({ host, guest: '/data' });
    expect(parseMount(`${host}:/tmp/a/..`)).toEqual({ host, guest: '/tmp' });
    for (const guest of ['/', '/proc', '/proc/', '/proc/x', '/dev', '/dev/shm', '/sys/y', '//proc']) expect(() => parseMount(`${host}:${guest}`), guest).toThrow(RunOptionError);
    expect(() => parseMount(`${host}:/procfs`)).not.toThrow();
  });
});

const reason = missingTools(toolchainStatus(['c']));
const dir = mkdtempSync(join(tmpdir(), 'zerosys-run-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(reason !== '')(skipTitle('zerosys run: bad options', reason), () => {
  it('each is one zerosys: line and status 125', async () => {
    const [hello] = await buildCorpus({ filter: (s) => s.name === 'hello' });
    writeFileSync(join(dir, 'file'), '');
    const cases: Array<[string[], string]> = [
      [['--cwd', '/nonexistent'], `working directory /nonexistent does not exist in the guest's namespace (host directories mounted: ${dir})`],
      [['--cwd', join(dir, 'file')], `working directory ${join(dir, 'file')}: not a directory (ENOTDIR)`],
      [['--mount', dir, '--mount', `${tmpdir()}:/`], `--mount ${tmpdir()}:/: a directory at / would hide /dev, /proc, /sys and /tmp; mount it at a path of its own`],
      [['--mount', `${dir}:/a/b`, '--mount', `${dir}:/a`, '--cwd', '/a/b'], `working directory /a/b is hidden by the later mount of ${dir} at /a`],
      [['--strace-file', join(dir, 'missing', 'log')], `--strace-file ${join(dir, 'missing', 'log')}: cannot open: no such file or directory`],
      [['--seed', '-5'], '--seed -5: expected an integer from 0 to 2^64-1'],
      [['--mount', `${dir}:/proc`], `--mount ${dir}:/proc: /proc is the kernel's own filesystem (README "Files"), which a host directory cannot replace or be mounted into; mount it elsewhere`],
      [['--no-such-option'], "unknown option '--no-such-option'"],
    ];
    for (const [args, message] of cases) {
      const r = await execa(process.execPath, [ZEROSYS_BIN, 'run', ...args, hello.binary], { cwd: dir, reject: false });
      expect.soft([r.exitCode, r.stdout, r.stderr], args.join(' ')).toEqual([125, '', `zerosys: ${message}`]);
    }
    // The same guest with good options still runs.
    const ok = await execa(process.execPath, [ZEROSYS_BIN, 'run', '--seed', '0x10', '--cwd', '/tmp', hello.binary], { cwd: dir, reject: false });
    expect([ok.exitCode, ok.stdout]).toEqual([0, 'Hello, world!']);
  }, 60_000);
});
