// Thread ids in qemu-riscv64's -strace. qemu 7.2 starts every trace line with getpid() — the
// same number for all of a program's threads — and prints a call and its result as separate
// pieces, between which other threads' lines can come (`clone(...)123 futex(...) = 5`: whose
// result is 5?). To compare a threaded program thread by thread, the harness runs the trace
// run of qemu with a small LD_PRELOAD library (qemu-strace-tid.c) that rewrites that output as
// it is printed: the thread id instead of the pid, a line another thread left unfinished
// ended, and the rest of an interrupted line marked `TID <... resumed>` (strace -f's form).
// Nothing the guest sees changes: qemu's `-U LD_PRELOAD` removes the variable from the
// guest's environment, and the library only touches qemu's own writes to stderr.
//
// The library is compiled once with the host C compiler (cc) into the OS temp directory,
// named by a hash of its source. Without a C compiler the trace keeps qemu's own form; the
// comparison then cannot split threads and says so (trace.ts, rule 'threads').

import { createHash } from 'node:crypto';
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execaSync } from 'execa';
import { findOnPath } from '../qemu.ts';

// Beside this module, or (in the dist/ bundle, one level below the root) under harness/conformance/.
const HERE = dirname(fileURLToPath(import.meta.url));
const SOURCES = [resolve(HERE, 'qemu-strace-tid.c'), resolve(HERE, '..', 'harness', 'conformance', 'qemu-strace-tid.c')];

let built: { path?: string; reason?: string } | undefined;

/** Path of the compiled library, or undefined (with the reason in `straceTidProblem`). */
export function straceTidLibrary(): string | undefined {
  if (built) return built.path;
  built = {};
  const source = SOURCES.find((p) => existsSync(p));
  if (!source) return (built.reason = `${SOURCES[0]} is missing`), undefined;
  const text = readFileSync(source);
  const out = join(tmpdir(), `zerosys-qemu-strace-tid-${createHash('sha256').update(text).digest('hex').slice(0, 16)}.so`);
  if (existsSync(out)) return (built.path = out);
  const cc = findOnPath('cc') ?? findOnPath('gcc');
  if (!cc) return (built.reason = 'no host C compiler (cc) to build the qemu -strace thread-id library'), undefined;
  const tmp = `${out}.${process.pid}.tmp`;
  try {
    execaSync(cc, ['-shared', '-fPIC', '-O2', '-o', tmp, source, '-ldl']);
    renameSync(tmp, out);
    return (built.path = out);
  } catch (error) {
    built.reason = `building the qemu -strace thread-id library failed: ${(error as Error).message.split('\n')[0]}`;
    return undefined;
  }
}

/** Why qemu traces carry no thread ids here, or undefined when they do. */
export function straceTidProblem(): string | undefined {
  straceTidLibrary();
  return built?.reason;
}

/** qemu options and environment for a trace run with thread ids (empty when unavailable). */
export function straceTidSetup(): { qemuArgs: string[]; env: Record<string, string> } {
  const lib = straceTidLibrary();
  return lib ? { qemuArgs: ['-U', 'LD_PRELOAD'], env: { LD_PRELOAD: lib } } : { qemuArgs: [], env: {} };
}
