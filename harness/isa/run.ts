// Runs cases under qemu-riscv64 (the reference, a child process) and zerosys (in-process,
// see zerosys-side.ts) and compares the dumps case by case. A batch that
// does not finish normally on either side is split in halves until the offending case is
// alone, so one bad case never hides the others.

import { runQemu } from '../qemu.ts';
import { buildProgram } from './assemble.ts';
import { runOnZerosys } from './zerosys-side.ts';
import type { EngineName } from '../../emulator/engines.ts';
import { DUMP_F, DUMP_FCSR, DUMP_X, F_NAMES, REGION_BYTES, SCRATCH, X_NAMES, hex64, type IsaCase } from './case.ts';

export interface Diff {
  where: string;
  qemu: string;
  zerosys: string;
}

/**
 * same: identical dumps (or, for trap cases, identical exit status).
 * diff: the two disagree; diffs says where.
 * invalid: both sides stopped the same abnormal way in a case meant to finish (a generator
 *          bug, not a CPU difference); not counted as identical.
 */
export interface CaseOutcome {
  c: IsaCase;
  kind: 'same' | 'diff' | 'invalid';
  diffs: Diff[];
  note?: string;
}

interface SideResult {
  status: number;
  stdout: Buffer;
  detail: string;
}

/** Per run of the guest: enough for every case with room to spare, never an endless loop. */
const MAX_INSNS_PER_CASE = 20_000;

async function runBoth(cases: IsaCase[], repeat: number, engine?: EngineName): Promise<{ q: SideResult; z: SideResult }> {
  const prog = await buildProgram(cases, repeat);
  try {
    const qemuRun = runQemu(prog.elf, [], '', { timeoutMs: 120_000 });
    let z: SideResult;
    try {
      z = runOnZerosys(prog.elf, repeat * (10_000 + MAX_INSNS_PER_CASE * cases.length), engine);
    } catch (e) {
      z = { status: -1, stdout: Buffer.alloc(0), detail: `zerosys threw: ${(e as Error).stack ?? e}` };
    }
    const qr = await qemuRun;
    const q = { status: qr.status, stdout: qr.stdout, detail: qr.timedOut ? 'timed out' : qr.stderr.toString().trim() };
    return { q, z };
  } finally {
    await prog.cleanup();
  }
}

export interface CaseDump {
  x: bigint[];
  f: bigint[];
  fcsr: number;
  scratch: Buffer;
}

export function parseDump(buf: Buffer, n: number): CaseDump {
  const at = n * REGION_BYTES;
  const q = (o: number) => buf.readBigUInt64LE(at + o);
  const x = [0n];
  for (let i = 1; i < 32; i++) x.push(q(DUMP_X + 8 * (i - 1)));
  const f: bigint[] = [];
  for (let i = 0; i < 32; i++) f.push(q(DUMP_F + 8 * i));
  return { x, f, fcsr: Number(q(DUMP_FCSR)), scratch: buf.subarray(at, at + SCRATCH) };
}

export function compareDumps(a: CaseDump, b: CaseDump): Diff[] {
  const diffs: Diff[] = [];
  for (let i = 1; i < 32; i++) if (a.x[i] !== b.x[i]) diffs.push({ where: `x${i}/${X_NAMES[i]}`, qemu: hex64(a.x[i]), zerosys: hex64(b.x[i]) });
  for (let i = 0; i < 32; i++) if (a.f[i] !== b.f[i]) diffs.push({ where: `f${i}/${F_NAMES[i]}`, qemu: hex64(a.f[i]), zerosys: hex64(b.f[i]) });
  if (a.fcsr !== b.fcsr) diffs.push({ where: 'fcsr', qemu: '0x' + a.fcsr.toString(16), zerosys: '0x' + b.fcsr.toString(16) });
  for (let o = 0; o < SCRATCH; o += 8) {
    const va = a.scratch.readBigUInt64LE(o);
    const vb = b.scratch.readBigUInt64LE(o);
    if (va !== vb) diffs.push({ where: `mem[base+${o}]`, qemu: hex64(va), zerosys: hex64(vb) });
  }
  return diffs;
}

function finished(r: SideResult, n: number): boolean {
  return r.status === 0 && r.stdout.length === n * REGION_BYTES;
}

async function runGroup(cases: IsaCase[], repeat: number, engine?: EngineName): Promise<CaseOutcome[]> {
  const { q, z } = await runBoth(cases, repeat, engine);
  const trap = cases.length === 1 && cases[0].mode === 'trap';
  if (trap) {
    const c = cases[0];
    const same = q.status === z.status && q.stdout.equals(z.stdout);
    const diffs = same ? [] : [{ where: 'exit status', qemu: String(q.status), zerosys: `${z.status} (${z.detail})` }];
    return [{ c, kind: same ? 'same' : 'diff', diffs, note: `exit status ${q.status}` }];
  }
  if (finished(q, cases.length) && finished(z, cases.length)) {
    return cases.map((c, n) => {
      const diffs = compareDumps(parseDump(q.stdout, n), parseDump(z.stdout, n));
      return { c, kind: diffs.length ? 'diff' : 'same', diffs };
    });
  }
  if (cases.length > 1) {
    const half = cases.length >> 1;
    return [...(await runGroup(cases.slice(0, half), repeat, engine)), ...(await runGroup(cases.slice(half), repeat, engine))];
  }
  const c = cases[0];
  const diffs = [{ where: 'exit status', qemu: `${q.status} (${q.detail || 'ok'})`, zerosys: `${z.status} (${z.detail})` }];
  const bothStopped = q.status === z.status && !finished(q, 1);
  return [{ c, kind: bothStopped ? 'invalid' : 'diff', diffs, note: bothStopped ? 'both sides stopped: the case is not safe to run' : undefined }];
}

export interface RunOptions {
  /** Cases per guest program (default 300). */
  batchSize?: number;
  /** Guest programs in flight at once (default 2: qemu runs while zerosys runs in-process). */
  parallel?: number;
  /**
   * Passes over the cases per program (default 1). Above the block compiler's threshold
   * (HOT entries) zerosys runs the later passes as compiled blocks.
   */
  repeat?: number;
  /** The zerosys engine (default: the default engine). */
  engine?: EngineName;
  onBatch?: (done: number, total: number) => void;
}

/** Run every case; outcomes in the order of `cases`. Trap cases run one per program. */
export async function runCases(cases: IsaCase[], opts: RunOptions = {}): Promise<CaseOutcome[]> {
  const size = opts.batchSize ?? 300;
  const groups: { start: number; cases: IsaCase[] }[] = [];
  let pending: { start: number; cases: IsaCase[] } | undefined;
  cases.forEach((c, i) => {
    if (c.mode) {
      groups.push({ start: i, cases: [c] });
      pending = undefined; // groups hold consecutive cases
      return;
    }
    if (!pending || pending.cases.length >= size) {
      pending = { start: i, cases: [] };
      groups.push(pending);
    }
    pending.cases.push(c);
  });
  const out: CaseOutcome[] = new Array(cases.length);
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < groups.length) {
      const g = groups[next++];
      const res = await runGroup(g.cases, opts.repeat ?? 1, opts.engine);
      res.forEach((r, k) => (out[g.start + k] = r));
      opts.onBatch?.(++done, groups.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, opts.parallel ?? 2) }, worker));
  return out;
}
