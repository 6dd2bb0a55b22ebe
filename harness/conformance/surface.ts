// `zerosys surface PROG [ARGS]`: run a program under zerosys and list the syscalls it made,
// with counts and zerosys's support level for each — the set a zkVM integrator must provide
// to run that program. The program's own output goes where it would under `zerosys run`;
// the table goes to stdout after it (with --json: JSON alone on stdout, the guest's stdout
// moved to stderr). A call zerosys stopped on is
// listed too (count 1, marked "stopped here").

import type { SyscallEvent } from '../../kernel/kernel.ts';

export interface SurfaceRow {
  nr: number;
  name: string;
  count: number;
  /** Calls that returned an error (-errno). */
  errors: number;
  module: string;
  support: string;
  note: string;
  /** zerosys stopped the program at this call. */
  stopped?: string;
}

export interface Surface {
  program: string;
  args: string[];
  status: number;
  calls: number;
  rows: SurfaceRow[];
}

export function summarize(events: SyscallEvent[], table: ReadonlyArray<{ nr: number; name: string; module: string; support: string; note: string }>): SurfaceRow[] {
  const byNr = new Map(table.map((r) => [r.nr, r]));
  const rows = new Map<number, SurfaceRow>();
  for (const ev of events) {
    const info = byNr.get(ev.nr);
    let row = rows.get(ev.nr);
    if (!row) {
      row = { nr: ev.nr, name: info?.name ?? ev.name, count: 0, errors: 0, module: info?.module ?? '?', support: info?.support ?? 'unknown', note: info?.note ?? '' };
      rows.set(ev.nr, row);
    }
    row.count++;
    const ret = BigInt.asIntN(64, ev.ret);
    if (ret < 0n && ret >= -4095n) row.errors++;
    if (ev.stop && !/^exit /.test(ev.stop)) row.stopped = ev.stop;
  }
  return [...rows.values()].sort((a, b) => b.count - a.count || a.nr - b.nr);
}

export function renderSurface(s: Surface): string {
  const nameW = Math.max(7, ...s.rows.map((r) => r.name.length));
  const lines = [
    `${s.program}${s.args.length ? ` ${s.args.join(' ')}` : ''}: ${s.calls} syscalls, ${s.rows.length} distinct; exit status ${s.status}`,
    `${'nr'.padStart(3)}  ${'syscall'.padEnd(nameW)}  ${'calls'.padStart(6)}  ${'errors'.padStart(6)}  ${'module'.padEnd(7)}  ${'support'.padEnd(11)}  note`,
    ...s.rows.map((r) =>
      [String(r.nr).padStart(3), r.name.padEnd(nameW), String(r.count).padStart(6), String(r.errors).padStart(6), r.module.padEnd(7), r.support.padEnd(11), r.stopped ? `STOPPED HERE: ${r.stopped}` : r.note]
        .join('  ')
        .trimEnd(),
    ),
  ];
  const levels = ['full', 'partial', 'enosys', 'unsupported'].map((l) => `${s.rows.filter((r) => r.support === l).length} ${l}`).join(', ');
  lines.push(`support: ${levels}`);
  return lines.join('\n') + '\n';
}

export async function surfaceCommand(prog: string, args: string[], opts: { json?: boolean }): Promise<number> {
  const [{ runGuest, GuestLoadError }, { HostStdio }, { SYSCALL_TABLE }, { ZerosysStop }] = await Promise.all([
    import('../guest.ts'),
    import('../host-stdio.ts'),
    import('../../kernel/table.ts'),
    import('../../kernel/api.ts'),
  ]);
  const events: SyscallEvent[] = [];
  const env = Object.entries(process.env).map(([k, v]) => `${k}=${v}`);
  let status: number;
  try {
    // With --json, stdout carries the JSON alone: the guest's stdout goes to stderr.
    const stdio = new HostStdio();
    if (opts.json) {
      const write = stdio.write.bind(stdio);
      stdio.write = (_fd, data) => write(2, data);
    }
    const result = runGuest({ program: prog, args, env, seed: 0n, stdio, trace: (ev) => events.push(ev) });
    status = result.status;
    if (result.stop instanceof ZerosysStop) process.stderr.write(`zerosys: ${result.stop.message}\n`);
  } catch (e) {
    if (e instanceof GuestLoadError) {
      process.stderr.write(`zerosys surface: ${e.message}\n`);
      return 125;
    }
    throw e;
  }
  const surface: Surface = { program: prog, args, status, calls: events.length, rows: summarize(events, SYSCALL_TABLE) };
  process.stdout.write(opts.json ? JSON.stringify(surface, null, 2) + '\n' : renderSurface(surface));
  return 0;
}
