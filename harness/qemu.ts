// Runs a guest binary under the reference (qemu-riscv64) or under zerosys, the same way:
// same argv, stdin, fixed environment, time limit and output cap, each in a fresh empty
// working directory. The result says what a shell would see: the status (exit code, or
// 128+N for death by signal N), stdout and stderr bytes, and the wall time.

import { accessSync, constants as fsConstants, readFileSync } from 'node:fs';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, constants as osConstants, tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa, execaSync, type Options } from 'execa';
import type { IsaName } from '../emulator/isa.ts';

export type ToolStatus = { ok: true; version: string } | { ok: false; reason: string };

/** The whole guest environment, identical for qemu and zerosys (both pass theirs through). */
export const GUEST_ENV: Readonly<Record<string, string>> = Object.freeze({ LANG: 'C', PATH: '/usr/bin:/bin' });

export const ZEROSYS_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'zerosys.js');

/**
 * A smaller V8 heap. V8 grows its young generation to two 16 MiB semi-spaces while a
 * program's code is being compiled, and keeps them: 24 of math/big's tests' 178 MiB peak.
 * Two of 4 MiB: math/big 170 -> 148 MiB, compress/flate 150 -> 129, at no measured cost
 * there (6.77 -> 6.82 s; 3.07 -> 3.04 s); go-bench, short and allocating, lost about 3%
 * (0.33 -> 0.34 s). --optimize-for-size (V8's heuristics that favour memory) took a further
 * 6-16 MiB off math/big (148-158 -> 142 MiB) and 2-7 MiB off the others, with times within
 * the noise (gotest-sort 0.72 / 0.71 s, go-bench 0.91 / 0.92, bench-text 0.88 / 0.85,
 * compress/flate 3.00 / 3.06). bin/zerosys.js's shebang says the same.
 */
const YOUNG_GENERATION = ['--max-semi-space-size=4', '--optimize-for-size'];

/**
 * Node options for a zerosys process. V8's background threads (TurboFan tiering compiled
 * regions up) are four by default: on a 2-core machine they take cores from the guest's
 * thread, which then waits on them. One fewer than the cores (bin/zerosys.js's shebang says
 * 1) leaves the guest a core of its own: measured on 2 cores, gotest-sort 0.92 -> 0.80 s,
 * go-bench 1.24 -> 1.07 s, bench-text 1.23 -> 1.11 s. Only the speed changes, never a result.
 */
export const ZEROSYS_NODE_OPTIONS: readonly string[] = [`--v8-pool-size=${Math.min(4, Math.max(1, availableParallelism() - 1))}`, ...YOUNG_GENERATION];

/** file and argv that run `zerosys ARGS...` as the harness does. */
export function zerosysCommand(args: readonly string[]): [string, string[]] {
  return [process.execPath, [...ZEROSYS_NODE_OPTIONS, ZEROSYS_BIN, ...args]];
}

export interface RunOptions {
  /** Libraries of a dynamically linked program: qemu -L DIR, zerosys --sysroot DIR. */
  sysroot?: string;
  /** Kill the run after this long (default 60 s); the result then has timedOut. */
  timeoutMs?: number;
  /** Cap per stream in bytes (default 16 MiB); the run is killed when exceeded. */
  maxOutputBytes?: number;
  /** Guest environment (default GUEST_ENV). */
  env?: Record<string, string>;
  /**
   * Measure the peak resident set size under GNU time (see rssStatus); the result then has
   * maxRssKiB. The process then runs in its own process group, killed whole at the limit,
   * and a death by signal N shows as exit code 128+N (time's own status): `status` is the
   * same either way, `signal` is not set.
   */
  measureRss?: boolean;
  /** The ISA profile the program is built for (isaArgs): rv64imac runs without F and D. */
  isa?: IsaName;
  /** Lays out the fresh working directory before the run (a corpus program's files). */
  setup?: (cwd: string) => Promise<void>;
}

/**
 * How each side runs a program built for a narrower ISA than rv64gc: qemu-riscv64 with a CPU
 * model without F and D (user mode 7.2 still lets the FP CSRs be read there: its fs() check
 * is system-mode only), zerosys with --isa.
 */
export function isaArgs(isa: IsaName | undefined): { qemu: string[]; zerosys: string[] } {
  if (isa === undefined || isa === 'rv64gc') return { qemu: [], zerosys: [] };
  return { qemu: ['-cpu', 'rv64,f=false,d=false'], zerosys: ['--isa', isa] };
}

export interface ZerosysRunOptions extends RunOptions {
  /** Pass --stats (zerosys prints `zerosys:` lines with counters on stderr). */
  stats?: boolean;
  /** Further `zerosys run` options, e.g. ['--max-insns', '1000000']. */
  extraArgs?: string[];
}

export interface RunResult {
  /** Shell-style status: exit code, or 128+N after a fatal signal N. */
  status: number;
  exitCode?: number;
  signal?: string;
  stdout: Buffer;
  stderr: Buffer;
  wallMs: number;
  timedOut: boolean;
  /** An output stream hit maxOutputBytes (and was cut there). */
  outputTruncated: boolean;
  /** The host command line that ran. */
  command: string[];
  /** Peak RSS in KiB of the process (wait4's ru_maxrss), when measured and known. */
  maxRssKiB?: number;
}

// ---------------------------------------------------------------------------------------
// Host tools

/** Absolute path of an executable found on the host PATH, or undefined. */
export function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, command);
    try {
      accessSync(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  return undefined;
}

let qemuPath: string | undefined;

/** Whether qemu-riscv64 is installed, with its version line or why not. */
export function qemuStatus(): ToolStatus {
  const path = findOnPath('qemu-riscv64');
  if (!path) return { ok: false, reason: 'qemu-riscv64 not found on PATH (apt-get install qemu-user)' };
  try {
    const version = execaSync(path, ['--version']).stdout.split('\n')[0];
    qemuPath = path;
    return { ok: true, version };
  } catch (error) {
    return { ok: false, reason: `qemu-riscv64 --version failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

/** The kernel's registration for riscv64 ELF programs (qemu-user-binfmt's name). */
export const BINFMT_RISCV64 = '/proc/sys/fs/binfmt_misc/qemu-riscv64';

/**
 * Whether a guest under qemu-riscv64 can execve another riscv64 program. qemu-user 7.2 passes
 * execve to the host kernel, which runs a riscv64 ELF only through a binfmt_misc entry that
 * starts qemu again (Debian's qemu-user-binfmt, registered by systemd at boot; in a container,
 * by harness/setup.sh where the machine allows it). Without one the exec fails ENOEXEC, so
 * programs that exec cannot be compared.
 */
export function qemuExecStatus(): ToolStatus {
  let text: string;
  try {
    text = readFileSync(BINFMT_RISCV64, 'utf8');
  } catch {
    return { ok: false, reason: `qemu-riscv64 cannot run the riscv64 programs a guest execs: no binfmt_misc entry ${BINFMT_RISCV64} (bash harness/setup.sh registers it where the machine allows)` };
  }
  if (!text.startsWith('enabled')) return { ok: false, reason: `the binfmt_misc entry ${BINFMT_RISCV64} is disabled` };
  return { ok: true, version: text.split('\n').find((l) => l.startsWith('interpreter')) ?? 'enabled' };
}

let gnuTime: ToolStatus | undefined;

/**
 * Whether GNU time (Debian package `time`, /usr/bin/time) is installed: the one portable way
 * to get a child's own peak RSS, which Node does not report (getrusage(RUSAGE_CHILDREN) is a
 * maximum over every child so far, so it cannot tell runs apart). `version` is its path.
 */
export function rssStatus(): ToolStatus {
  if (gnuTime) return gnuTime;
  const path = findOnPath('time');
  if (!path) return (gnuTime = { ok: false, reason: 'GNU time not found on PATH (apt-get install time)' });
  try {
    const r = execaSync(path, ['--version'], { reject: false, all: true });
    gnuTime = /GNU/.test(r.all ?? '') ? { ok: true, version: path } : { ok: false, reason: `${path} is not GNU time` };
  } catch (error) {
    gnuTime = { ok: false, reason: `${path} --version failed: ${(error as Error).message.split('\n')[0]}` };
  }
  return gnuTime;
}

/**
 * The peak RSS (KiB) from what `time -f %M -o FILE` wrote: the last line that is a number.
 * GNU time puts "Command exited with non-zero status N" or "Command terminated by signal N"
 * before it; a run killed together with time leaves no number (undefined).
 */
export function parseMaxRss(text: string): number | undefined {
  const lines = text.split('\n').map((l) => l.trim()).filter((l) => /^\d+$/.test(l));
  return lines.length ? Number(lines[lines.length - 1]) : undefined;
}

/** Process groups started for RSS runs and not yet finished, killed if the harness dies. */
const liveGroups = new Set<number>();
let groupCleanupInstalled = false;

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * A run in its own process group does not see the terminal's Ctrl-C: kill the groups when
 * the harness exits or is interrupted, then die of the same signal as it would have.
 */
function installGroupCleanup(): void {
  if (groupCleanupInstalled) return;
  groupCleanupInstalled = true;
  process.on('exit', () => liveGroups.forEach(killGroup));
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      liveGroups.forEach(killGroup);
      process.kill(process.pid, signal);
    });
  }
}

// ---------------------------------------------------------------------------------------
// Running

function shellStatus(exitCode: number | undefined, signal: string | undefined): number {
  if (exitCode !== undefined) return exitCode;
  const number = signal ? osConstants.signals[signal as keyof typeof osConstants.signals] : undefined;
  return number !== undefined ? 128 + number : -1;
}

function toBuffer(data: unknown): Buffer {
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.alloc(0);
}

async function runIsolated(file: string, args: string[], stdin: Buffer | string, options: RunOptions): Promise<RunResult> {
  const cwd = await mkdtemp(join(tmpdir(), 'zerosys-run-'));
  await options.setup?.(cwd);
  const maxOutputBytes = options.maxOutputBytes ?? 16 * 1024 * 1024;
  const timeoutMs = options.timeoutMs ?? 60_000;
  // GNU time writes the peak RSS to a file beside (not inside) the guest's directory, so
  // neither the guest's stderr nor its directory listing changes.
  const rss = options.measureRss ? rssStatus() : undefined;
  if (rss && !rss.ok) throw new Error(rss.reason);
  const rssFile = rss ? `${cwd}.rss` : undefined;
  const input = await guestStdin(typeof stdin === 'string' ? Buffer.from(stdin) : stdin, `${cwd}.stdin`);
  const [command, commandArgs] = rss?.ok ? [rss.version, ['-f', '%M', '-o', rssFile!, file, ...args]] : [file, args];
  let groupTimedOut = false;
  let timer: NodeJS.Timeout | undefined;
  try {
    const started = performance.now();
    const subprocess = execa(command, commandArgs, {
      cwd,
      // `{cwd}` in a value is the working directory (a corpus program's env).
      env: Object.fromEntries(Object.entries(options.env ?? GUEST_ENV).map(([k, v]) => [k, v.replaceAll('{cwd}', cwd)])),
      extendEnv: false,
      stdin: input.stdin as Options['stdin'],
      encoding: 'buffer',
      stripFinalNewline: false,
      maxBuffer: maxOutputBytes,
      // time forks the program: killing time alone at the limit would leave the program
      // running (and holding the output pipes), so the whole group is killed instead.
      ...(rss ? { detached: true } : { timeout: timeoutMs }),
      killSignal: 'SIGKILL',
      reject: false,
    });
    const pid = subprocess.pid;
    if (rss && pid !== undefined) {
      installGroupCleanup();
      liveGroups.add(pid);
      timer = setTimeout(() => {
        groupTimedOut = true;
        killGroup(pid);
      }, timeoutMs);
    }
    const result = await subprocess;
    const wallMs = performance.now() - started;
    if (rss && pid !== undefined) {
      clearTimeout(timer);
      // At the output cap execa killed time alone; the program, still in the group (so the
      // group id cannot have been reused), goes too.
      if (result.isMaxBuffer) killGroup(pid);
      liveGroups.delete(pid);
    }
    if (result.failed && result.exitCode === undefined && result.signal === undefined) {
      throw new Error(`could not start ${file}: ${result.message}`);
    }
    const maxRssKiB = rssFile ? parseMaxRss(await readFile(rssFile, 'utf8').catch(() => '')) : undefined;
    return {
      status: shellStatus(result.exitCode, result.signal),
      exitCode: result.exitCode,
      signal: result.signal,
      stdout: toBuffer(result.stdout),
      stderr: toBuffer(result.stderr),
      wallMs,
      timedOut: result.timedOut || groupTimedOut,
      outputTruncated: result.isMaxBuffer,
      command: [file, ...args],
      ...(maxRssKiB === undefined ? {} : { maxRssKiB }),
    };
  } finally {
    clearTimeout(timer);
    await rm(cwd, { recursive: true, force: true });
    if (rssFile) await rm(rssFile, { force: true });
    await input.close();
  }
}

// qemu's own report when the guest dies of a signal (printed only when a core dump is
// allowed); it is not guest output, so it is removed before comparing.
const QEMU_SIGNAL_NOTE = /^qemu: uncaught target signal \d+ \([^)]*\) - [^\n]*\n?/gm;

/** Strip qemu-riscv64's own messages from captured stderr. */
export function normalizeQemuStderr(stderr: Buffer): Buffer {
  const text = stderr.toString('latin1');
  const cleaned = text.replace(QEMU_SIGNAL_NOTE, '');
  return cleaned === text ? stderr : Buffer.from(cleaned, 'latin1');
}

/**
 * The host command that runs `qemu QEMU_ARGS...` as the reference. qemu-user hands the host's
 * resource limits to the guest, so they are pinned to what zerosys reports (Linux's boot
 * defaults): RLIMIT_STACK 8 MiB soft (glibc sizes thread stacks from it; CI shells differ),
 * RLIMIT_NOFILE 1024/4096 (Go raises its soft limit to the hard one at start), and no core
 * dumps (qemu re-raises a guest's fatal signal on itself and would dump the whole emulator).
 * prlimit (util-linux) execs qemu with the environment untouched, unlike a shell, which
 * would add PWD.
 */
export function referenceCommand(qemu: string, qemuArgs: string[]): [string, string[]] {
  const prlimit = findOnPath('prlimit');
  const limits = ['--core=0', `--stack=${8 * 1024 * 1024}:`, '--nofile=1024:4096'];
  return prlimit ? [prlimit, [...limits, qemu, ...qemuArgs]] : [qemu, qemuArgs];
}

/**
 * The guest's stdin, the same kind on both sides: its input as a regular file (as `<file`
 * gives it), or /dev/null when it has none (as `</dev/null` and CI runners give it). Not a
 * pipe or socket: once its writer has closed, Linux reports POLLHUP on it (unix_poll,
 * pipe_poll: the peer is gone), which zerosys cannot see of a host stream (Node has no
 * non-blocking poll of a descriptor), so a program that polls its stdin before reading
 * (Rust's std does, for fds 0-2, at start-up) would differ for a reason of the harness's
 * making (README: Running a program). The file lies at `path`, outside the guest's directory.
 */
export async function guestStdin(input: Buffer, path: string): Promise<{ stdin: number | 'ignore'; close: () => Promise<void> }> {
  if (input.length === 0) return { stdin: 'ignore', close: async () => {} };
  await writeFile(path, input);
  const handle = await open(path, 'r');
  return {
    stdin: handle.fd,
    close: async () => {
      await handle.close();
      await rm(path, { force: true });
    },
  };
}

/** Run `qemu-riscv64 BINARY ARGS...` (the reference). */
export async function runQemu(
  binary: string,
  args: string[] = [],
  stdin: Buffer | string = '',
  options: RunOptions = {},
): Promise<RunResult> {
  if (qemuPath === undefined) {
    const status = qemuStatus();
    if (!status.ok) throw new Error(status.reason);
  }
  const argv = [...(options.sysroot ? ['-L', options.sysroot] : []), ...isaArgs(options.isa).qemu, resolve(binary), ...args];
  // qemu-user copies its environment into a head-inserted list (util/envlist.c), so the
  // guest sees it reversed; hand it over reversed and the guest gets the intended order,
  // as execve(2) on Linux would give it.
  const env = Object.fromEntries(Object.entries(options.env ?? GUEST_ENV).reverse());
  options = { ...options, env };
  const [file, fileArgs] = referenceCommand(qemuPath!, argv);
  const result = await runIsolated(file, fileArgs, stdin, options);
  return { ...result, command: [qemuPath!, ...argv], stderr: normalizeQemuStderr(result.stderr) };
}

/** Run `node bin/zerosys.js run [--stats] [extraArgs] -- BINARY ARGS...`. */
export async function runZerosys(
  binary: string,
  args: string[] = [],
  stdin: Buffer | string = '',
  options: ZerosysRunOptions = {},
): Promise<RunResult> {
  const [file, cliArgs] = zerosysCommand([
    'run',
    ...(options.stats ? ['--stats'] : []),
    ...(options.extraArgs ?? []),
    ...(options.sysroot ? ['--sysroot', options.sysroot] : []),
    ...isaArgs(options.isa).zerosys,
    '--',
    resolve(binary),
    ...args,
  ]);
  return runIsolated(file, cliArgs, stdin, options);
}

/** Split zerosys --stats lines (prefixed `zerosys:`) from the guest's own stderr. */
export function splitZerosysStats(stderr: Buffer): { guest: Buffer; stats: string[] } {
  const text = stderr.toString('latin1');
  const stats: string[] = [];
  const guest = text.replace(/^zerosys:[^\n]*(\n|$)/gm, (line) => {
    stats.push(line.trimEnd());
    return '';
  });
  return { guest: Buffer.from(guest, 'latin1'), stats };
}
