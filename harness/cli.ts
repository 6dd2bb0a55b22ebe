// zerosys command line.

import { writeSync } from 'node:fs';
import { NamespaceError, type HostMount } from '../kernel/vfs/vfs-state.ts';
import { Command, InvalidArgumentError } from 'commander';
import { defaultResidentLimit } from './host-memory.ts';
import { HostStdio } from './host-stdio.ts';
import { RunOptionError, checkCwd, openStraceLog, parseMount, parseSeed } from './run-options.ts';
import { runGuest, formatEnosysSummary, GuestLoadError, DEFAULT_SYSROOT } from './guest.ts';
import { ON_UNSUPPORTED, type OnUnsupported } from '../kernel/kernel.ts';
import { ProfileError, parseEpoch, parseMem, parseModules, resolveProfile, type KernelProfile } from './profile.ts';
import { EXIT_ZEROSYS_STOP, GuestKilled, ZerosysStop } from '../kernel/api.ts';
import { DEFAULT_ENGINE, ENGINE_NAMES, isEngineName, type EngineName } from '../emulator/engines.ts';
import { DEFAULT_ISA, ISA_NAMES, isIsaName, type IsaName } from '../emulator/isa.ts';
import { zerosysVersion } from './version.ts';

/** Exit status of the conformance commands when the run itself cannot be done (README). */
const EXIT_HARNESS_ERROR = 2;

function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

/** Where --strace / --strace-file lines go (written at once: the guest's own stderr may interleave). */
function straceSink(opts: { strace?: boolean; straceFile?: string }): ((line: string) => void) | undefined {
  if (opts.straceFile !== undefined) return openStraceLog(opts.straceFile);
  return opts.strace ? (line) => writeSync(2, Buffer.from(line, 'latin1')) : undefined;
}

function parseEngine(v: string): EngineName {
  if (!isEngineName(v)) throw new InvalidArgumentError(`expected one of: ${ENGINE_NAMES.join(', ')}`);
  return v;
}

function parseOnUnsupported(v: string): OnUnsupported {
  const mode = ON_UNSUPPORTED.find((m) => m === v);
  if (!mode) throw new InvalidArgumentError(`expected one of: ${ON_UNSUPPORTED.join(', ')}`);
  return mode;
}

function parseIsa(v: string): IsaName {
  if (!isIsaName(v)) throw new InvalidArgumentError(`expected one of: ${ISA_NAMES.join(', ')}`);
  return v;
}

/** --mount is repeatable: each one adds to the list, in order (a later one may hide an earlier one). */
const collectMount = (v: string, list: HostMount[]): HostMount[] => [...list, parseMount(v)];

/** The namespace options of `zerosys run` for runGuest (absent: its default, the cwd at its own path). */
function vfsRunOptions(opts: object): { mounts?: HostMount[]; cwd?: string } {
  const { mount, cwd } = opts as { mount?: HostMount[]; cwd?: string };
  if (!mount?.length) return cwd ? { cwd } : {};
  return { mounts: mount, cwd: cwd ?? mount[0].guest };
}

/** A profile parser as a commander option parser (its errors become usage errors). */
function optionParser<T>(parse: (v: string) => T): (v: string) => T {
  return (v) => {
    try {
      return parse(v);
    } catch (e) {
      if (e instanceof ProfileError) throw new InvalidArgumentError(e.message);
      throw e;
    }
  };
}

/** A run-option check whose message is complete: printed as is, `zerosys: MESSAGE`, status 125. */
function runOption<T, A extends unknown[]>(check: (v: string, ...rest: A) => T): (v: string, ...rest: A) => T {
  return (v, ...rest) => {
    try {
      return check(v, ...rest);
    } catch (e) {
      if (e instanceof RunOptionError) usageError(e.message);
      throw e;
    }
  };
}

/** One `zerosys:` line and the status of a run zerosys stopped (README "Exit status"). */
function usageError(message: string): never {
  process.stderr.write(`zerosys: ${message}\n`);
  process.exit(EXIT_ZEROSYS_STOP);
}

// Commander's own errors (unknown option, missing argument, bad value) read `zerosys: ...`
// too; `run` exits with 125 for them (below), the conformance commands with 2 (a harness
// error, never 1, which says cases failed), the other commands with commander's 1.
const program = new Command('zerosys')
  .description('RV64GC emulator + deterministic Linux library OS + conformance harness')
  .version(zerosysVersion(), '-V, --version', 'print the zerosys version (package.json) and exit')
  .enablePositionalOptions()
  .configureOutput({ outputError: (str, write) => write(str.replace(/^error: /, 'zerosys: ')) });

program
  .command('run')
  .description('run a riscv64 Linux program (static, or dynamically linked: its libraries from --sysroot)')
  .argument('<prog>', 'riscv64 ELF executable (static, or dynamically linked: see --sysroot)')
  .argument('[args...]', 'arguments for the program')
  .option('--max-insns <n>', 'stop the guest after N retired instructions', parseCount)
  .option('--stats', 'print retired instructions and MIPS to stderr')
  .option('--seed <n>', 'seed for every source of randomness (AT_RANDOM, getrandom): 0 to 2^64-1 (default: 0)', runOption(parseSeed))
  .option('--no-jit', 'interpret only (no block compilation); results are identical, only slower')
  .option('--engine <name>', `execution engine (${ENGINE_NAMES.join(', ')}; default ${DEFAULT_ENGINE}); results are identical, only the speed differs`, parseEngine)
  .option('--isa <profile>', `instruction set the hart executes (${ISA_NAMES.join(', ')}; default ${DEFAULT_ISA}); under rv64imac every F/D instruction and the FP CSRs are illegal (SIGILL at the instruction)`, parseIsa)
  .option('--on-unsupported <mode>', 'an unsupported syscall (or one of a module not linked): fail stops the guest (exit 125, the default); enosys returns -ENOSYS to it and a zerosys: line at exit lists those calls', parseOnUnsupported)
  .option('--quiet', 'no zerosys: diagnostic line when a signal kills the guest, nor the --on-unsupported enosys summary (stderr exactly as under Linux)')
  .option('--strace', 'log every syscall with its arguments and result on stderr (qemu-riscv64 -strace format)')
  .option('--strace-file <path>', 'write the --strace log to a file instead of stderr')
  .option('--modules <list>', 'link only these kernel modules, comma-separated (memory,vfs,sched,signal,time,random,process,net,ipc; default all); a syscall of another module stops the guest (--on-unsupported enosys: returns -ENOSYS)', optionParser(parseModules))
  .option('--mem <size>', 'machine memory (sysinfo) and cap on mapped memory, past which mmap/brk/mremap fail like RLIMIT_AS: bytes or 512M, 2G, ... (default: a 4G machine, mappings uncapped, and a guest touching more than min(4G, half of this host\'s memory) is killed with SIGKILL)', optionParser(parseMem))
  .option('--epoch <time>', 'CLOCK_REALTIME at the first instruction: seconds since 1970 or an ISO 8601 date (default 1700000000)', optionParser(parseEpoch))
  .option('--profile <file>', 'YAML/JSON file with modules, mem, epoch, isa, onUnsupported (options given here win)')
  .option('--mount <host[:guest]>', 'show host directory HOST at guest path GUEST (default: the same absolute path), read-write and confined; repeatable; replaces the default (the working directory at its own path); not at /, /dev, /proc, /sys', runOption(collectMount), [])
  .option('--cwd <dir>', 'guest working directory, an absolute guest path (default: the host working directory, or the first --mount)', runOption(checkCwd))
  .option('--sysroot <dir>', `a dynamically linked program's libraries, as qemu-riscv64 -L: its interpreter is read from DIR/PT_INTERP, and DIR/lib and DIR/usr/lib appear read-only at /lib and /usr/lib (default ${DEFAULT_SYSROOT}, Debian's libc6-riscv64-cross, when it exists; static programs get them only with --sysroot)`)
  .passThroughOptions()
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_ZEROSYS_STOP))
  .action((prog: string, args: string[], opts: { maxInsns?: number; stats?: boolean; seed?: bigint; quiet?: boolean; jit: boolean; engine?: EngineName; isa?: IsaName; onUnsupported?: OnUnsupported; strace?: boolean; straceFile?: string; modules?: KernelProfile['modules']; mem?: number; epoch?: bigint; profile?: string; sysroot?: string }) => {
    const env = Object.entries(process.env).map(([k, v]) => `${k}=${v}`);
    let result;
    try {
      const strace = straceSink(opts);
      const kernel = resolveProfile({ profile: opts.profile, modules: opts.modules, memBytes: opts.mem, epochNs: opts.epoch, isa: opts.isa, onUnsupported: opts.onUnsupported });
      // Without --mem, a runaway guest may take at most half of this host (host-memory.ts).
      const guard = kernel.memBytes === undefined ? { residentLimitBytes: defaultResidentLimit() } : {};
      result = runGuest({ program: prog, args, env, seed: opts.seed ?? 0n, stdio: new HostStdio(), maxInsns: opts.maxInsns, engine: opts.engine, jit: opts.jit, strace, sysroot: opts.sysroot, ...kernel, ...guard, ...vfsRunOptions(opts) });
    } catch (e) {
      if (e instanceof GuestLoadError || e instanceof ProfileError || e instanceof RunOptionError || e instanceof NamespaceError) usageError(e.message);
      throw e;
    }
    const { stop } = result;
    if (stop instanceof ZerosysStop) process.stderr.write(`zerosys: ${stop.message}\n`);
    else if (stop instanceof GuestKilled && !opts.quiet) process.stderr.write(`zerosys: guest ${stop.message}\n`);
    if (!opts.quiet) process.stderr.write(formatEnosysSummary(result.unsupportedAnswered));
    if (opts.stats) {
      const mips = result.instret / 1e3 / Math.max(result.wallMs, 1e-3);
      process.stderr.write(`zerosys: ${result.instret} instructions retired in ${result.wallMs.toFixed(1)} ms (${mips.toFixed(1)} MIPS)\n`);
      const { blocks, insns, ms } = result.jit;
      process.stderr.write(`zerosys: ${blocks} blocks compiled (${insns} instructions) in ${ms.toFixed(1)} ms\n`);
    }
    // Exit now: every write above was synchronous (files, pipes and terminals are, on Linux),
    // and a natural exit would first wait for V8's background compile jobs (tens of ms).
    process.exit(result.status);
  });

program
  .command('syscalls')
  .description('list every riscv64 Linux syscall with its support level in the kernel')
  .option('--json', 'machine-readable output')
  .action(async (opts: { json?: boolean }) => {
    const { formatSyscallTable } = await import('../kernel/syscalls-cli.ts');
    process.stdout.write(formatSyscallTable(!!opts.json));
  });

program
  .command('corpus')
  .description('guest program corpus')
  .command('build')
  .description('cross-compile the corpus (cached by source hash)')
  .action(async () => {
    const { corpusBuildCommand } = await import('./corpus.ts');
    await corpusBuildCommand();
  });

program
  .command('conformance')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_HARNESS_ERROR))
  .description('run the corpus, the syscall specs and the properties under qemu-riscv64 and zerosys; write reports/')
  .allowUnknownOption(false)
  .option('--gate', 'exit 1 when a case that passes in the baseline fails or was not compared now (2: no baseline)')
  .option('--fail-on-diff', 'exit 1 when any case run fails (differs, unsupported, or could not be judged); without this or --gate the exit status is 0 however many cases fail')
  .option('--allow-skips', 'with --gate: baseline cases that were not compared (no qemu, no reference) do not fail it; the report says so')
  .option('--update-baseline', 'accept the current results as the new baseline')
  .option('--allow-shrink', 'with --update-baseline: accept a baseline that drops cases which passed before')
  .option('--only <kinds>', 'comma-separated subset: corpus,spec,property')
  .option('--filter <regexp>', 'only cases whose id matches this regular expression (one that matches no case is an error, exit 2)')
  .option('--shard <i/n>', 'run the i-th of n deterministic slices (1-based)')
  .option('--jobs <n>', 'cases run in parallel (default: cores)', parseCount)
  .option('--out <dir>', 'report directory (default reports/)')
  .option('--baseline <file>', 'baseline file (default reports/baseline.json)')
  .option('--references <dir>', 'recorded qemu references to use where qemu is absent')
  .option('--record', 'record qemu results and binaries as references')
  .option('--recorded', 'compare against recorded references instead of running qemu-riscv64')
  .option('--property-runs <n>', 'fast-check runs per property', parseCount)
  .option('--seed <n>', 'fast-check seed (printed; default fixed)')
  .option('--quick', 'a fast subset: non-slow corpus, every spec case, short properties')
  .option('--isolate', 'run spec and property cases through `zerosys run` child processes (default: inside the harness, faster)')
  .option('--in-process', 'run every zerosys side inside the harness process, corpus programs too')
  .option('--targets <file>', 'YAML file declaring targets: other implementations, each with the command that runs a program and its capabilities (README)')
  .option('--target <names>', 'the implementation judged against qemu-riscv64: zerosys (default), qemu, or a target of --targets; cases needing what it lacks are skipped with the reason; several, comma-separated: one run each in OUT/NAME/ and a table across them (OUT/matrix.html)')
  .action(async (opts: Record<string, unknown>) => {
    const { conformanceCommand } = await import('./conformance/command.ts');
    process.exitCode = await conformanceCommand(opts);
  });

program
  .command('pack')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_HARNESS_ERROR))
  .description('write the spec cases as a portable conformance pack: standalone static rv64imac ELFs, qemu-riscv64\'s records of them, a manifest and a runner script for any command (README)')
  .requiredOption('--out <dir>', 'directory for the pack (replaced)')
  .option('--filter <regexp>', 'only cases whose id matches (spec/SYSCALL/SLUG)')
  .action(async (opts: { out: string; filter?: string }) => {
    const { packCommand } = await import('./conformance/pack.ts');
    process.exitCode = await packCommand(opts);
  });

program
  .command('conformance-matrix')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_HARNESS_ERROR))
  .description('join the reports of several targets (report.json files) into one table, a column per target (matrix.md, matrix.html)')
  .argument('<reports...>', 'report.json files, one per target')
  .option('--out <dir>', 'directory for matrix.md and matrix.html (default reports/)')
  .action(async (files: string[], opts: { out?: string }) => {
    const { matrixCommand } = await import('./conformance/command.ts');
    process.exitCode = await matrixCommand(files, opts);
  });

program
  .command('conformance-merge')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_HARNESS_ERROR))
  .description('join shard reports (JSON) into one report')
  .argument('<reports...>', 'report.json files written by --shard runs')
  .option('--out <dir>', 'report directory (default reports/)')
  .action(async (files: string[], opts: { out?: string }) => {
    const { mergeCommand } = await import('./conformance/command.ts');
    process.exitCode = await mergeCommand(files, opts);
  });

program
  .command('conformance-diff')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_HARNESS_ERROR))
  .description('what changed between two conformance runs: newly failing and newly passing, otherwise changed, added and removed cases (per target for runs against several), as Markdown for a pull request; exit 1 when a case that passed no longer does, 2 when an input is not a report')
  .argument('<old>', 'report.json of the earlier run, or the --out directory of a run against several targets (NAME/report.json)')
  .argument('<new>', 'the same of the later run')
  .option('--html <file>', 'also write the diff as a self-contained HTML page (case ids as anchors)')
  .action(async (oldFile: string, newFile: string, opts: { html?: string }) => {
    const { diffCommand } = await import('./conformance/report-diff.ts');
    process.exitCode = diffCommand(oldFile, newFile, opts);
  });

program
  .command('reference-stability')
  .exitOverride((err) => process.exit(err.exitCode === 0 ? 0 : EXIT_HARNESS_ERROR))
  .description('run threaded corpus programs twice under qemu-riscv64 and compare the two traces with the trace rules: how much of its own trace the reference reproduces')
  .option('--filter <regexp>', 'corpus cases whose id matches (default: those the last report shows as threaded)')
  .option('--out <dir>', 'report directory (default reports/)')
  .action(async (opts: { filter?: string; out?: string }) => {
    const { referenceStabilityCommand } = await import('./conformance/command.ts');
    process.exitCode = await referenceStabilityCommand(opts);
  });

program
  .command('surface')
  .description('run a program and list the syscalls it made, with counts and support levels')
  .argument('<prog>', 'static riscv64 ELF executable')
  .argument('[args...]', 'arguments for the program')
  .option('--json', 'machine-readable output')
  .passThroughOptions()
  .action(async (prog: string, args: string[], opts: { json?: boolean }) => {
    const { surfaceCommand } = await import('./conformance/surface.ts');
    process.exitCode = await surfaceCommand(prog, args, opts);
  });

// Not awaited at the top level: the launcher's bundle is CommonJS (bin/zerosys.js says why).
// A command's rejection ends the process as an uncaught error would, with status 1.
void program.parseAsync(process.argv);
