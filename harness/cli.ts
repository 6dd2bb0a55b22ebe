// zerosys command line.

import { Command, InvalidArgumentError } from 'commander';
import { HostStdio } from './host-stdio.ts';
import { runGuest, GuestLoadError } from './guest.ts';
import { EXIT_ZEROSYS_STOP, GuestKilled, ZerosysStop } from '../kernel/api.ts';

function parseCount(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n <= 0) throw new InvalidArgumentError('expected a positive integer');
  return n;
}

function parseSeed(v: string): bigint {
  try {
    return BigInt.asUintN(64, BigInt(v));
  } catch {
    throw new InvalidArgumentError('expected an integer seed');
  }
}

const program = new Command('zerosys').description('RV64GC emulator + deterministic Linux library OS + conformance harness').enablePositionalOptions();

program
  .command('run')
  .description('run a static riscv64 Linux program')
  .argument('<prog>', 'static riscv64 ELF executable')
  .argument('[args...]', 'arguments for the program')
  .option('--max-insns <n>', 'stop the guest after N retired instructions', parseCount)
  .option('--stats', 'print retired instructions and MIPS to stderr')
  .option('--seed <n>', 'seed for every source of randomness (AT_RANDOM, getrandom)', parseSeed, 0n)
  .option('--no-jit', 'interpret only (no block compilation); results are identical, only slower')
  .option('--quiet', 'no diagnostic line when a signal kills the guest (stderr exactly as under Linux)')
  .passThroughOptions()
  .action((prog: string, args: string[], opts: { maxInsns?: number; stats?: boolean; seed: bigint; quiet?: boolean; jit: boolean }) => {
    const env = Object.entries(process.env).map(([k, v]) => `${k}=${v}`);
    let result;
    try {
      result = runGuest({ program: prog, args, env, seed: opts.seed, stdio: new HostStdio(), maxInsns: opts.maxInsns, jit: opts.jit });
    } catch (e) {
      if (e instanceof GuestLoadError) {
        process.stderr.write(`zerosys: ${e.message}\n`);
        process.exit(EXIT_ZEROSYS_STOP);
      }
      throw e;
    }
    const { stop } = result;
    if (stop instanceof ZerosysStop) process.stderr.write(`zerosys: ${stop.message}\n`);
    else if (stop instanceof GuestKilled && !opts.quiet) process.stderr.write(`zerosys: guest ${stop.message}\n`);
    if (opts.stats) {
      const mips = result.instret / 1e3 / Math.max(result.wallMs, 1e-3);
      process.stderr.write(`zerosys: ${result.instret} instructions retired in ${result.wallMs.toFixed(1)} ms (${mips.toFixed(1)} MIPS)\n`);
    }
    process.exitCode = result.status;
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

await program.parseAsync(process.argv);
