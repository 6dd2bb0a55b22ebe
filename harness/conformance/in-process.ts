// zerosys run inside this process (no child process, no tsx start-up): what `zerosys run
// --quiet --strace-file F` does, with the case's working directory mounted at its own path
// as the CLI's default namespace would. Runs block the event loop, so they are sequential;
// used by tests that patch the kernel in memory (e.g. to prove the gate bites) and by
// --in-process runs.

import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { GUEST_ENV } from '../qemu.ts';
import type { ExecOptions, SideRun } from './exec.ts';

/** Enough for any spec or property case (the driver needs well under a million). */
const IN_PROCESS_MAX_INSNS = 2_000_000_000;

export async function runZerosysInProcess(binary: string, opts: ExecOptions): Promise<SideRun> {
  const [{ runGuest, GuestLoadError }, { BufferStdio }, { ZerosysStop }] = await Promise.all([
    import('../guest.ts'),
    import('../host-stdio.ts'),
    import('../../kernel/api.ts'),
  ]);
  const cwd = realpathSync(opts.cwd);
  const stdio = new BufferStdio(opts.stdin ?? Buffer.alloc(0));
  const trace: string[] = [];
  const program = resolve(binary);
  const env = Object.entries(opts.env ?? GUEST_ENV).map(([k, v]) => `${k}=${v.replaceAll('{cwd}', opts.cwd)}`);
  const started = performance.now();
  let status: number;
  let note = '';
  try {
    const result = runGuest({
      program,
      args: opts.args ?? [],
      env,
      seed: 0n,
      stdio,
      mounts: [{ guest: cwd, host: cwd }],
      cwd,
      strace: opts.trace === false ? undefined : (line) => trace.push(line),
      // No child to kill on a time limit here: bound the run by instructions instead.
      maxInsns: IN_PROCESS_MAX_INSNS,
      releaseMemory: true,
      isa: opts.isa,
      ...(opts.sysroot ? { sysroot: opts.sysroot } : {}),
    });
    status = result.status;
    if (result.stop instanceof ZerosysStop) note = `zerosys: ${result.stop.message}\n`;
  } catch (error) {
    if (error instanceof GuestLoadError) {
      status = 125;
      note = `zerosys: ${error.message}\n`;
    } else {
      // What the CLI would die with: an uncaught exception, its stack on stderr, status 1.
      status = 1;
      note = `${(error as Error).stack ?? String(error)}\n`;
    }
  }
  return {
    side: 'zerosys',
    status,
    stdout: stdio.stdout(),
    stderr: Buffer.concat([stdio.stderr(), Buffer.from(note)]),
    trace: trace.join(''),
    wallMs: performance.now() - started,
    timedOut: false,
    outputTruncated: false,
    command: ['(in process) zerosys run --quiet', program, ...(opts.args ?? [])],
  };
}
