// A spec case as the syscall driver's argv (see driver/sysdriver.c), and the driver's report
// parsed back into steps.

import type { ArgSpec, CallSpec, SpecCase } from './model.ts';

function argWords(arg: ArgSpec, stepIndex: Map<string, number>): string[] {
  switch (arg.kind) {
    case 'int':
      return [`i:${arg.value}`];
    case 'str':
      return [`s:${arg.text}`];
    case 'out':
      return [`o:${arg.size}`];
    case 'hex':
      return [`x:${arg.bytes}`];
    case 'i64':
      return [`q:${arg.values.join(',')}`];
    case 'i32':
      return [`w:${arg.values.join(',')}`];
    case 'iov':
      return [`v:${arg.items.length}`, ...arg.items.flatMap((a) => argWords(a, stepIndex))];
    case 'ref':
      return [`r:${stepIndex.get(arg.id)}${arg.add ? `+${arg.add}` : ''}`];
  }
}

/** All steps in execution order: setup, the call under test, after. */
export function caseSteps(c: SpecCase): CallSpec[] {
  return [...c.setup, c.call, ...c.after];
}

export function driverArgv(c: SpecCase): string[] {
  const steps = caseSteps(c);
  const index = new Map<string, number>();
  const words: string[] = [];
  steps.forEach((s, i) => {
    words.push('call', String(s.nr), String(s.args.length), ...s.args.flatMap((a) => argWords(a, index)));
    if (s.id) index.set(s.id, i);
  });
  return words;
}

/** For each buffer the driver dumps for a step: the argument index and the ArgSpec. */
export function dumpedBuffers(step: CallSpec): Array<{ arg: number; spec: ArgSpec }> {
  const out: Array<{ arg: number; spec: ArgSpec }> = [];
  step.args.forEach((a, i) => {
    if (a.kind === 'iov') for (const item of a.items) out.push({ arg: i, spec: item });
    else if (a.kind !== 'int' && a.kind !== 'ref') out.push({ arg: i, spec: a });
  });
  return out;
}

export interface DriverStep {
  nr: number;
  ret: bigint;
  /** Hex dumps in the order the driver printed them. */
  buffers: Array<{ arg: number; hex: string }>;
}

export interface DriverReport {
  /** Bytes on stdout before the report marker (what the steps wrote to fd 1). */
  before: Buffer;
  steps: DriverStep[];
  complete: boolean;
}

const MARKER = '==sysdriver==\n';

export function parseDriverOutput(stdout: Buffer): DriverReport {
  const text = stdout.toString('latin1');
  const at = text.lastIndexOf(MARKER);
  if (at < 0) return { before: stdout, steps: [], complete: false };
  const steps: DriverStep[] = [];
  for (const line of text.slice(at + MARKER.length).split('\n')) {
    const ret = /^step (\d+) nr=(\d+) ret=(-?\d+)$/.exec(line);
    if (ret) {
      steps[Number(ret[1])] = { nr: Number(ret[2]), ret: BigInt(ret[3]), buffers: [] };
      continue;
    }
    const buf = /^step (\d+) arg (\d+) ([0-9a-f]*)$/.exec(line);
    if (buf) steps[Number(buf[1])]?.buffers.push({ arg: Number(buf[2]), hex: buf[3] });
  }
  return { before: stdout.subarray(0, Buffer.byteLength(text.slice(0, at), 'latin1')), steps, complete: text.includes('==end==\n', at) };
}

/** -errno for a raw syscall result, or undefined for success. */
export function errnoOf(ret: bigint): number | undefined {
  return ret < 0n && ret >= -4095n ? Number(-ret) : undefined;
}
