import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildCorpus, toolchainStatus } from '../corpus.ts';
import { qemuStatus, ZEROSYS_BIN } from '../qemu.ts';
import { missingTools, skipTitle } from '../../test/skips.ts';
import { judgeProgram, runDifferential, type DifferentialCase } from './differential.ts';
import { findTarget, missingCapability, parseTargets, targetArgv, TargetsError, type DeclaredTarget } from './targets.ts';

const YAML = `targets:
  - name: my-vm
    command: [my-vm, run, '{prog}', '--', '{args}']
    env: { MY_VM_LOG: 'off' }
    timeout: 5
    capabilities: { argv: true, stdin: false, files: true, threads: false, isa: rv64imac }
`;

function errorsOf(text: string): string[] {
  try {
    parseTargets(text, 't.yaml');
  } catch (e) {
    if (e instanceof TargetsError) return e.errors;
    throw e;
  }
  throw new Error('parsed without errors');
}

describe('targets file', () => {
  it('declares a target with its command, environment, timeout and capabilities', () => {
    const [t] = parseTargets(YAML, 't.yaml');
    expect(t).toEqual({
      kind: 'declared',
      name: 'my-vm',
      command: ['my-vm', 'run', '{prog}', '--', '{args}'],
      env: { MY_VM_LOG: 'off' },
      timeoutMs: 5000,
      capabilities: { argv: true, stdin: false, files: true, threads: false, isa: 'rv64imac' },
      source: 't.yaml:2',
    });
  });

  it('reports every problem with its file, line and column', () => {
    const text = [
      'targets:',
      '  - name: Bad Name',
      '    command: [vm, run]',
      '    capabilities: { argv: yes, stdin: true, files: true, threads: true, isa: rv32 }',
      '  - name: zerosys',
      "    command: [vm, '{prog}', 'x{args}', '{nope}']",
      '    capabilities: { argv: true, stdin: true, files: true }',
      '    extra: 1',
    ].join('\n');
    expect(errorsOf(text)).toEqual([
      `t.yaml:2:11: expected a name of lowercase letters, digits, '.', '_' and '-', got "Bad Name"`,
      't.yaml:3:14: the command never names the program: put {prog} where it goes',
      't.yaml:4:27: expected true or false for argv',
      't.yaml:4:78: expected isa rv64gc or rv64imac',
      't.yaml:8:5: unexpected key "extra" in a target; expected one of name, command, env, timeout, capabilities',
      't.yaml:5:11: target zerosys is built in',
      't.yaml:6:29: {args} must be a word of its own (it stands for zero or more words)',
      't.yaml:7:19: capabilities: say whether the target has threads (true or false)',
    ]);
  });

  it('refuses a file without targets, a duplicate name and a missing command', () => {
    expect(errorsOf('targets: 3\n')).toEqual(['t.yaml:1:10: expected `targets:` with a list of targets']);
    const twice = YAML + YAML.split('\n').slice(1).join('\n');
    expect(errorsOf(twice)).toEqual(['t.yaml:7:11: target my-vm is declared twice']);
    expect(errorsOf("targets:\n  - name: a\n    capabilities: { argv: true, stdin: true, files: true, threads: true }\n")).toEqual([
      't.yaml:2:5: a target needs a command (a list of words, with {prog} where the program goes)',
    ]);
  });

  it('names targets: built in, declared, or an error listing them', () => {
    const declared = parseTargets(YAML, 't.yaml');
    expect(findTarget('zerosys', declared).kind).toBe('zerosys');
    expect(findTarget('qemu', declared).kind).toBe('qemu');
    expect(findTarget('my-vm', declared).name).toBe('my-vm');
    expect(() => findTarget('other', declared)).toThrow('--target: no target named other (built in: zerosys, qemu; declared: my-vm)');
  });

  it('expands {args} to the arguments word by word, and {prog} and {cwd} in place', () => {
    const [t] = parseTargets(YAML.replace("'--', '{args}'", "'--cwd={cwd}', '{args}'"), 't.yaml');
    expect(targetArgv(t, '/p/hello', ['a b', 'c'], '/w')).toEqual(['my-vm', 'run', '/p/hello', '--cwd=/w', 'a b', 'c']);
    expect(targetArgv(t, '/p/hello', [], '/w')).toEqual(['my-vm', 'run', '/p/hello', '--cwd=/w']);
  });

  it('says which capability a case needs that the target lacks', () => {
    const [t] = parseTargets(YAML, 't.yaml');
    const needs = { args: [], stdin: Buffer.alloc(0), files: false, threads: false, isa: 'rv64imac' as const };
    expect(missingCapability(t, needs)).toBeUndefined();
    expect(missingCapability(t, { ...needs, stdin: Buffer.from('x') })).toBe('target my-vm lacks stdin (the case gives input)');
    expect(missingCapability(t, { ...needs, threads: true, isa: 'rv64gc' })).toBe(
      'target my-vm lacks threads (the program may start threads), rv64gc (the program is built for rv64gc; the target runs rv64imac)',
    );
    // An rv64gc target runs rv64imac programs; built-in targets lack nothing.
    const gc: DeclaredTarget = { ...t, capabilities: { ...t.capabilities, isa: 'rv64gc' } };
    expect(missingCapability(gc, needs)).toBeUndefined();
    expect(missingCapability(findTarget('zerosys', []), { ...needs, threads: true, stdin: Buffer.from('x') })).toBeUndefined();
  });
});

// The adapter against real runs: zerosys declared as a target passes where zerosys passes, and
// a deliberately wrong target (zerosys behind a wrapper that changes its exit status or its
// output) fails with that difference named.
const reason = missingTools(qemuStatus(), toolchainStatus(['c']));
const dir = mkdtempSync(join(tmpdir(), 'zerosys-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(reason !== '')(skipTitle('declared targets against qemu-riscv64', reason), () => {
  const declare = (name: string, command: string[]): DeclaredTarget =>
    parseTargets(
      `targets:\n  - name: ${name}\n    command: ${JSON.stringify(command)}\n    capabilities: { argv: true, stdin: true, files: true, threads: true }\n`,
      't.yaml',
    )[0];
  const zerosysRun = [process.execPath, ZEROSYS_BIN, 'run', '--quiet', '--'];

  async function judged(t: DeclaredTarget) {
    const [hello] = await buildCorpus({ filter: (s) => s.name === 'hello' });
    const c: DifferentialCase = { id: 'corpus/hello', kind: 'corpus', binary: hello.binary, args: [], stdin: Buffer.alloc(0), threadIds: true };
    const runs = await runDifferential(c, { qemuLive: true, target: t });
    return { runs, result: judgeProgram(c, runs) };
  }

  it('zerosys as a declared target: the same verdict, the trace named as not compared', async () => {
    const { runs, result } = await judged(declare('zs', [...zerosysRun, '{prog}', '{args}']));
    expect(runs.impl).toBe('zs');
    expect(runs.zerosys.run.trace).toBe('');
    expect(result.outcome).toBe('pass');
    expect(result.summary).toBe('identical exit status, stdout, stderr (trace not compared: target zs records none)');
  }, 60_000);

  it('a wrapper that changes the exit status fails on it', async () => {
    const script = join(dir, 'exit7.sh');
    writeFileSync(script, `"$@" ; exit 7\n`);
    const { result } = await judged(declare('wrong-status', ['sh', script, ...zerosysRun, '{prog}', '{args}']));
    expect(result.outcome).toBe('fail');
    expect(result.summary).toBe('exit status qemu=0 wrong-status=7');
  }, 60_000);

  it('a wrapper that changes one byte of stdout fails at that byte', async () => {
    const script = join(dir, 'sed.sh');
    writeFileSync(script, `"$@" | sed 's/world/World/'\n`);
    const { result } = await judged(declare('wrong-output', ['sh', script, ...zerosysRun, '{prog}', '{args}']));
    expect(result.outcome).toBe('fail');
    expect(result.summary).toMatch(/^stdout differs at byte 7 \(line 1\)/);
  }, 60_000);
});
