// `zerosys surface`: the syscalls a program made, counted, with support levels.

import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { buildCorpus, toolchainStatus } from '../../harness/corpus.ts';
import { ZEROSYS_BIN } from '../../harness/qemu.ts';
import { renderSurface, summarize } from '../../harness/conformance/surface.ts';
import { missingTools, skipTitle } from '../skips.ts';

const TABLE = [
  { nr: 57, name: 'close', module: 'vfs', support: 'full', note: '' },
  { nr: 64, name: 'write', module: 'vfs', support: 'full', note: 'n' },
  { nr: 220, name: 'clone', module: 'sched', support: 'unsupported', note: '' },
];
const ev = (nr: number, name: string, ret: bigint, stop?: string) => ({ nr, name, args: [], ret, pc: 0, stop });

describe('surface summary', () => {
  it('counts calls and errors per syscall, busiest first, and marks where zerosys stopped', () => {
    const rows = summarize([ev(64, 'write', 5n), ev(57, 'close', -9n), ev(64, 'write', 3n), ev(220, 'clone', 0n, 'unsupported syscall clone (220)')], TABLE);
    expect(rows.map((r) => [r.name, r.count, r.errors, r.support])).toEqual([
      ['write', 2, 0, 'full'],
      ['close', 1, 1, 'full'],
      ['clone', 1, 0, 'unsupported'],
    ]);
    expect(rows[2].stopped).toBe('unsupported syscall clone (220)');
    const text = renderSurface({ program: 'p', args: [], status: 125, calls: 4, rows });
    expect(text).toContain('p: 4 syscalls, 3 distinct; exit status 125');
    expect(text).toContain('STOPPED HERE: unsupported syscall clone (220)');
    expect(text).toContain('support: 2 full, 0 partial, 0 enosys, 1 unsupported');
  });
});

const reason = missingTools(toolchainStatus(['c']));
describe.skipIf(reason !== '')(skipTitle('zerosys surface CLI', reason), () => {
  it('lists what hello needs, as JSON with the guest output moved to stderr', async () => {
    const [hello] = await buildCorpus({ filter: (s) => s.name === 'hello' });
    const r = await execa(process.execPath, [ZEROSYS_BIN, 'surface', '--json', hello.binary], { reject: false });
    expect(r.stderr).toContain('Hello, world!');
    const surface = JSON.parse(r.stdout) as { status: number; rows: Array<{ name: string; count: number; support: string }> };
    expect(surface.status).toBe(0);
    const names = surface.rows.map((x) => x.name);
    for (const n of ['write', 'exit_group', 'brk']) expect(names).toContain(n);
    expect(surface.rows.find((x) => x.name === 'write')!.count).toBe(1);
  }, 60_000);
});
