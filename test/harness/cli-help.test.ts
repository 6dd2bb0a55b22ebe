// Every zerosys command answers --help (commander renders option defaults: a BigInt default
// once made `run --help` throw).

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

  it('conformance --help offers --fail-on-diff for CI', async () => {
    const r = await execa('node', [ZEROSYS_BIN, 'conformance', '--help'], { reject: false });
    expect(r.stdout).toMatch(/--fail-on-diff\s+exit 1 when any case run fails/);
  });
});
