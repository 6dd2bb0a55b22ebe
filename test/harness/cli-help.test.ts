// Every zerosys command answers --help (commander renders option defaults: a BigInt default
// once made `run --help` throw).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ZEROSYS_BIN } from '../../harness/qemu.ts';

describe('zerosys --help', () => {
  for (const cmd of [[], ['run'], ['syscalls'], ['conformance'], ['conformance-merge'], ['surface'], ['corpus', 'build']]) {
    it(`zerosys ${cmd.join(' ')} --help`, async () => {
      const r = await execa('node', [ZEROSYS_BIN, ...cmd, '--help'], { reject: false });
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toMatch(/^Usage: zerosys/);
    });
  }

  it('--version prints the version of package.json', async () => {
    const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V']) {
      const r = await execa('node', [ZEROSYS_BIN, flag], { reject: false });
      expect([r.exitCode, r.stdout, r.stderr]).toEqual([0, version, '']);
    }
  });

  it('conformance: a usage error or a --filter that matches nothing is a harness error (status 2), not "cases failed" (1)', async () => {
    const out = mkdtempSync(join(tmpdir(), 'zerosys-cli-'));
    try {
      const bad = await execa('node', [ZEROSYS_BIN, 'conformance', '--no-such-option'], { reject: false });
      expect([bad.exitCode, bad.stderr]).toEqual([2, "zerosys: unknown option '--no-such-option'"]);
      const none = await execa('node', [ZEROSYS_BIN, 'conformance', '--only', 'spec', '--recorded', '--filter', '^spec/no-such-syscall/', '--out', out], { reject: false });
      expect([none.exitCode, none.stderr]).toEqual([2, 'zerosys conformance: --filter ^spec/no-such-syscall/ matches no spec case']);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('conformance --help offers --fail-on-diff for CI', async () => {
    const r = await execa('node', [ZEROSYS_BIN, 'conformance', '--help'], { reject: false });
    expect(r.stdout).toMatch(/--fail-on-diff\s+exit 1 when any case run fails/);
  });
});
