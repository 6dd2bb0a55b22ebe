// Checks of the harness side of the differential tests: the corpus build cache, the qemu
// runner (status conventions, environment, stdin, time limit, output cap) and the diff
// report. Expected values come from the C standard, signal(7) and wait(2) conventions,
// not from our own output.

import { constants as osConstants } from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCorpus, loadManifest, toolchainStatus, type BuiltProgram } from '../../harness/corpus.ts';
import { GUEST_ENV, normalizeQemuStderr, qemuStatus, runQemu, splitZerosysStats } from '../../harness/qemu.ts';
import { missingTools, skipTitle } from '../skips.ts';
import { parseZerosysStats } from '../../harness/bench.ts';
import { diffBytes, firstDifference, renderBytesDiff } from '../../harness/conformance/bytes-diff.ts';

function describeDifference(what: string, a: Buffer, b: Buffer): string | undefined {
  const d = diffBytes(what, a, b);
  return d && renderBytesDiff(d);
}

describe('diff report', () => {
  it('finds the first differing byte, line and column', () => {
    const a = Buffer.from('line one\nline two\n');
    const b = Buffer.from('line one\nline tw0\n');
    expect(firstDifference(a, b)).toBe(16); // 9 bytes of line one + 'line tw'
    const text = describeDifference('stdout', a, b)!;
    expect(text).toContain('byte 16 (line 2, column 8)');
    expect(text).toContain('line tw⟦o\\n⟧');
    expect(text).toContain('line tw⟦0\\n⟧');
  });

  it('reports a strict prefix as a difference at its end', () => {
    expect(firstDifference(Buffer.from('abc'), Buffer.from('abcd'))).toBe(3);
    expect(describeDifference('stderr', Buffer.from('abc'), Buffer.from('abcd'))).toContain('lengths qemu=3 zerosys=4');
    expect(describeDifference('stderr', Buffer.from('same'), Buffer.from('same'))).toBeUndefined();
  });
});

describe('stderr filters', () => {
  it("removes qemu's uncaught-signal note but keeps guest text", () => {
    const raw = Buffer.from('guest line\nqemu: uncaught target signal 6 (Aborted) - core dumped\nmore\n');
    expect(normalizeQemuStderr(raw).toString()).toBe('guest line\nmore\n');
  });

  it('separates zerosys: stats lines from guest stderr', () => {
    const { guest, stats } = splitZerosysStats(Buffer.from('err 1\nzerosys: 123 instructions\nerr 2\nzerosys: 4.5 MIPS'));
    expect(guest.toString()).toBe('err 1\nerr 2\n');
    expect(stats).toEqual(['zerosys: 123 instructions', 'zerosys: 4.5 MIPS']);
  });
});

describe('bench stats parsing', () => {
  it('reads instructions and MIPS from the zerosys --stats line', () => {
    expect(parseZerosysStats(['zerosys: 123456 instructions retired in 4.5 ms (27.4 MIPS)'])).toEqual({
      instructions: 123456,
      mips: 27.4,
    });
    expect(parseZerosysStats(['zerosys: unrelated'])).toEqual({});
  });
});

describe('corpus manifest', () => {
  it('has unique names, existing sources and a quick bench variant for the tests', () => {
    const specs = loadManifest();
    expect(new Set(specs.map((s) => s.name)).size).toBe(specs.length);
    expect(specs.some((s) => s.tags.includes('bench-quick') && !s.tags.includes('slow'))).toBe(true);
    expect(specs.find((s) => s.name === 'stdin-wc-file')!.stdin.length).toBeGreaterThan(1000);
  });
});

const reason = missingTools(toolchainStatus(), qemuStatus());
if (reason) console.warn(`[e2e] qemu runner tests SKIPPED: ${reason}`);

describe.skipIf(reason !== '')(skipTitle('corpus build and qemu runner', reason), () => {
  const names = ['exit42', 'abort-signal', 'argv-env', 'stdin-wc-literal', 'printf-double', 'bench-small'];
  const programs = new Map<string, BuiltProgram>();

  beforeAll(async () => {
    for (const p of await buildCorpus({ filter: (s) => names.includes(s.name) })) programs.set(p.name, p);
  });

  it('second build of unchanged sources is served from the cache', async () => {
    const again = await buildCorpus({ filter: (s) => names.includes(s.name) });
    expect(again.map((p) => p.name).sort()).toEqual([...names].sort());
    expect(again.every((p) => p.cached)).toBe(true);
    expect(again.map((p) => p.binary)).toEqual(again.map((p) => programs.get(p.name)!.binary));
  });

  it('returns the exit code of main after atexit handlers ran in reverse order', async () => {
    const r = await runQemu(programs.get('exit42')!.binary);
    expect(r.status).toBe(42);
    expect(r.exitCode).toBe(42);
    expect(r.stdout.toString()).toBe(
      'returning 42 from main\natexit: second registered, runs first\natexit: first registered, runs last\n',
    );
  });

  it('reports death by SIGABRT as status 128+6', async () => {
    const r = await runQemu(programs.get('abort-signal')!.binary);
    expect(r.signal).toBe('SIGABRT');
    expect(r.status).toBe(128 + osConstants.signals.SIGABRT);
    expect(r.stdout.toString()).toBe('about to abort\n');
    expect(r.stderr.toString()).toBe('stderr before abort\n');
  });

  it('gives the guest exactly GUEST_ENV, in order, and the absolute binary path as argv[0]', async () => {
    const p = programs.get('argv-env')!;
    const out = (await runQemu(p.binary, p.args)).stdout.toString();
    expect(out).toContain(`argc=${p.args.length + 1}\nargv[0]=[${p.binary}]`);
    expect(out).toContain('argv[2]=[] len=0\nargv[3]=[two words] len=9\n');
    // execve(2) keeps envp in order; runQemu undoes qemu-user's reversal of it.
    const env = [...out.matchAll(/^env\[\d+\]=\[(.*)\]$/gm)].map((m) => m[1]);
    expect(env).toEqual(Object.entries(GUEST_ENV).map(([k, v]) => `${k}=${v}`));
  });

  it('feeds stdin and returns stdout unmodified (no trailing newline stripping)', async () => {
    const p = programs.get('stdin-wc-literal')!;
    const input = p.stdin.toString();
    const r = await runQemu(p.binary, [], p.stdin);
    const lines = input.split('\n').length - 1;
    const words = input.split(/\s+/).filter(Boolean).length;
    expect(r.stdout.toString().startsWith(input)).toBe(true);
    expect(r.stdout.toString()).toContain(`lines=${lines} words=${words} bytes=${p.stdin.length} `);
    expect(r.stdout.at(-1)).toBe(0x0a);
  });

  it('kills a run at the time limit (SIGKILL: 128+9)', async () => {
    const r = await runQemu(programs.get('bench-small')!.binary, ['2000'], '', { timeoutMs: 300 });
    expect(r.timedOut).toBe(true);
    expect(r.status).toBe(128 + 9);
  });

  it('cuts output at the cap and says so', async () => {
    const r = await runQemu(programs.get('printf-double')!.binary, [], '', { maxOutputBytes: 1000 });
    expect(r.outputTruncated).toBe(true);
    expect(r.stdout.length).toBeLessThanOrEqual(1000);
  });
});
