// The run loop over a scripted engine: each stop reason becomes the syscall, signal or end
// of the guest it stands for, with the exit statuses and messages the CLI prints. The
// engine is a script, so these are the loop's decisions alone.

import { describe, expect, it } from 'vitest';
import { BUDGET, EBREAK, ECALL, type Engine, type StopReason } from '../emulator/engine.ts';
import { createHart } from '../emulator/hart.ts';
import { OutOfMemory, SEGV_ACCERR, SEGV_MAPERR } from '../emulator/memory.ts';
import { GuestExit, GuestKilled, ZerosysStop } from './api.ts';
import { runMachine, type SyscallHandler } from './run.ts';
import { makeFixture } from './test-support.ts';

const PC = 0x10000;

/** Retires `n` instructions (4 bytes each), then stops for `why`. */
type Step = { n: number; why: StopReason } | { error: unknown };

class ScriptedEngine implements Engine {
  readonly name = 'script';
  readonly jitStats = { blocks: 0, insns: 0, ms: 0 };
  readonly budgets: number[] = [];
  constructor(
    private readonly hart: { cpu: { pc: number; instret: number } },
    private readonly steps: Step[],
  ) {}
  run(budget: number): StopReason {
    this.budgets.push(budget);
    const step = this.steps.shift();
    if (!step) throw new Error('script ran out');
    if ('error' in step) throw step.error;
    const n = Math.min(step.n, budget);
    this.hart.cpu.instret += n;
    this.hart.cpu.pc += 4 * n;
    return step.why;
  }
}

function scripted(steps: Step[]) {
  const hart = createHart();
  hart.cpu.pc = PC;
  const engine = new ScriptedEngine(hart, steps);
  return { ...hart, engine };
}

/** A bare handler (tests, tools): counts its calls; onCall may end the guest. */
function bare(onCall: () => void = () => {}): SyscallHandler & { calls: number } {
  const h = {
    calls: 0,
    syscall() {
      h.calls++;
      onCall();
    },
  };
  return h;
}

describe('runMachine with a bare syscall handler (one thread, traps fatal)', () => {
  it('an ecall is handled and passed: pc + 4, one more instruction retired', () => {
    const m = scripted([{ n: 3, why: ECALL }, { n: 2, why: BUDGET }, { n: 0, why: EBREAK }]);
    const h = bare();
    const stop = runMachine(m, h);
    expect(h.calls).toBe(1);
    expect(m.cpu.instret).toBe(6);
    expect(stop).toBeInstanceOf(GuestKilled);
    expect([stop.status, stop.message]).toEqual([133, `killed by signal 5 (breakpoint at pc 0x${(PC + 24).toString(16)})`]);
  });

  it('a syscall that ends the guest ends the run', () => {
    const m = scripted([{ n: 1, why: ECALL }]);
    const stop = runMachine(m, bare(() => {
      throw new GuestExit(300);
    }));
    expect([stop.status, stop.message, m.cpu.pc, m.cpu.instret]).toEqual([44, 'exit 44', PC + 4, 1]);
  });

  it('faults, illegal instructions and misaligned atomics kill with SIGSEGV, SIGILL, SIGBUS', () => {
    const cases: [StopReason, number, string][] = [
      [{ kind: 'fault', access: 'read', addr: 0x10, code: SEGV_MAPERR }, 139, `killed by signal 11 (SEGV_MAPERR: read at 0x10, pc 0x10008)`],
      [{ kind: 'fault', access: 'write', addr: 0x2000, code: SEGV_ACCERR }, 139, `killed by signal 11 (SEGV_ACCERR: write at 0x2000, pc 0x10008)`],
      [{ kind: 'fault', access: 'exec', addr: 0x10008, code: SEGV_MAPERR }, 139, `killed by signal 11 (SEGV_MAPERR: exec at 0x10008, pc 0x10008)`],
      [{ kind: 'illegal', bits: 0, detail: 'illegal instruction 0x0 at pc 0x10008' }, 132, 'killed by signal 4 (illegal instruction 0x0 at pc 0x10008)'],
      [{ kind: 'misaligned', addr: 0x2002, detail: 'misaligned atomic access to 0x2002 at pc 0x10008' }, 135, 'killed by signal 7 (misaligned atomic access to 0x2002 at pc 0x10008)'],
    ];
    for (const [why, status, message] of cases) {
      const m = scripted([{ n: 2, why }]);
      m.cpu.reservation = 0x2000;
      const stop = runMachine(m, bare());
      expect([stop.status, stop.message, m.cpu.instret, m.cpu.reservation]).toEqual([status, message, 2, -1]);
    }
  });

  it('out of memory is SIGKILL, from the engine or from a syscall touching guest memory', () => {
    const fromEngine = runMachine(scripted([{ n: 1, why: { kind: 'oom', detail: 'out of memory: x' } }]), bare());
    expect([fromEngine.status, fromEngine.message]).toEqual([137, 'killed by signal 9 (out of memory: x)']);
    const fromKernel = runMachine(scripted([{ n: 1, why: ECALL }]), bare(() => {
      throw new OutOfMemory(256);
    }));
    expect([fromKernel.status, fromKernel.message]).toEqual([137, 'killed by signal 9 (out of memory: the guest touched more than 1 MiB (--mem))']);
  });

  it('--max-insns: slices never pass the limit, which stops the guest with status 125', () => {
    const m = scripted([{ n: Infinity, why: BUDGET }, { n: Infinity, why: BUDGET }]);
    const stop = runMachine(m, bare(), { maxInsns: (1 << 20) + 5 });
    expect(m.engine.budgets).toEqual([1 << 20, 5]);
    expect(stop).toBeInstanceOf(ZerosysStop);
    expect([stop.status, stop.message]).toEqual([125, `instruction limit reached (${(1 << 20) + 5} instructions) at pc 0x${(PC + 4 * ((1 << 20) + 5)).toString(16)}`]);
  });

  it('a host error (a bug, not the guest) propagates', () => {
    expect(() => runMachine(scripted([{ error: new TypeError('bug') }]), bare())).toThrow(TypeError);
  });
});

describe('runMachine with the zerosys kernel (runtime: quantum slices, signals)', () => {
  it('slices are the scheduling quantum; an unhandled fault kills with the same message', () => {
    const f = makeFixture();
    const hart = { cpu: f.cpu, mem: f.mem };
    f.cpu.pc = PC;
    const engine = new ScriptedEngine(hart, [{ n: Infinity, why: BUDGET }, { n: 2, why: { kind: 'fault', access: 'read', addr: 0, code: SEGV_MAPERR } }]);
    const stop = runMachine({ ...hart, engine }, f.kernel);
    expect(engine.budgets).toEqual([100_000, 100_000]);
    expect([stop.status, stop.message]).toEqual([139, `killed by signal 11 (SEGV_MAPERR: read at 0x0, pc 0x${(PC + 4 * 100_002).toString(16)})`]);
  });
});
