// npm run isa -- [--runs N] [--seed S] [--modes interp,jit] [--no-directed] [--case I]
//
// Differential ISA conformance against qemu-riscv64: directed cases plus N random cases
// (fast-check, seed printed), each under the interpreter and the block compiler; shrinks
// and prints failing cases; writes the coverage table to reports/isa-coverage.md/.json.

import { Command, InvalidArgumentError } from 'commander';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { qemuStatus } from '../qemu.ts';
import { binutilsMissing } from './assemble.ts';
import { caseToJson } from './case.ts';
import { coverageJson, coverageMarkdown } from './coverage.ts';
import { formatOutcome } from './format.ts';
import { randomCase } from './generate.ts';
import { RANDOM_MNEMONICS } from './ops.ts';
import { runCases } from './run.ts';
import { DEFAULT_ENGINE, ENGINE_NAMES, isEngineName } from '../../emulator/engines.ts';
import { repeatFor, runSession, type Mode } from './session.ts';
import { shrinkCase } from './shrink.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

function int(v: string): number {
  const n = Number(v);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError('expected a non-negative integer');
  return n;
}

function modes(v: string): Mode[] {
  const m = v.split(',').map((s) => s.trim());
  if (!m.length || m.some((x) => x !== 'interp' && x !== 'jit')) throw new InvalidArgumentError('expected interp, jit or interp,jit');
  return m as Mode[];
}

function mnemonics(v: string): string[] {
  const m = v.split(',').map((s) => s.trim());
  const bad = m.filter((x) => !RANDOM_MNEMONICS.includes(x));
  if (bad.length) throw new InvalidArgumentError(`not a generated mnemonic: ${bad.join(', ')}`);
  return m;
}

const program = new Command('isa')
  .description('RV64GC differential tests against qemu-riscv64 with a coverage table')
  .option('--runs <n>', 'random cases per mode', int, 2000)
  .option('--seed <s>', 'seed of the random cases (default: from the clock, printed)', int)
  .option('--modes <list>', 'interp (each case once), jit (each case 40 times: compiled blocks)', modes, ['interp', 'jit'] as Mode[])
  .option('--no-directed', 'skip the directed cases')
  .option('--max-len <n>', 'most instructions per random case', int, 12)
  .option('--only <mnemonics>', 'draw random instructions only from these (comma-separated)', mnemonics)
  .option('--case <i>', 'run only random case I of the seed (printed, shrunk if it fails)', int)
  .option('--max-shrink <n>', 'shrink at most N failing cases', int, 10)
  .option('--out <dir>', 'where the coverage report goes', join(ROOT, 'reports'))
  .option('--engine <name>', `zerosys engine (${ENGINE_NAMES.join(', ')}; default ${DEFAULT_ENGINE})`, (v: string) => {
    if (!isEngineName(v)) throw new InvalidArgumentError(`expected one of ${ENGINE_NAMES.join(', ')}`);
    return v;
  })
  .option('--save-failures <file>', 'write the shrunk failing cases as JSON (regression material)')
  .action(async (opts) => {
    const missing = [binutilsMissing(), (() => {
      const q = qemuStatus();
      return q.ok ? '' : q.reason;
    })()].filter(Boolean);
    if (missing.length) {
      console.error(`isa: cannot run: ${missing.join('; ')}`);
      process.exit(2);
    }
    const seed: number = opts.seed ?? Date.now() % 2 ** 31;
    const gen = { maxLen: opts.maxLen, only: opts.only };
    console.error(`isa: seed ${seed}`);
    if (opts.case !== undefined) {
      const c = randomCase(seed, opts.case, gen);
      for (const mode of opts.modes as Mode[]) {
        const [o] = await runCases([c], { repeat: repeatFor(mode), engine: opts.engine });
        console.log(`[${mode}] ${formatOutcome(o)}`);
        if (o.kind === 'diff' && !o.c.mode) console.log(formatOutcome((await shrinkCase(o, repeatFor(mode), undefined, opts.engine)).outcome));
      }
      return;
    }
    const t0 = performance.now();
    const { coverage, failures } = await runSession({
      seed,
      runs: opts.runs,
      modes: opts.modes,
      directed: opts.directed,
      gen,
      maxShrink: opts.maxShrink,
      engine: opts.engine,
      log: (l) => console.error(`isa: ${l}`),
    });
    const wallSeconds = (performance.now() - t0) / 1000;
    const q = qemuStatus();
    const meta = { seed, runs: opts.runs, jit: (opts.modes as Mode[]).includes('jit'), qemu: q.ok ? q.version : 'qemu-riscv64', wallSeconds };
    mkdirSync(opts.out, { recursive: true });
    writeFileSync(join(opts.out, 'isa-coverage.md'), coverageMarkdown(coverage, meta));
    writeFileSync(join(opts.out, 'isa-coverage.json'), JSON.stringify(coverageJson(coverage, meta), null, 1) + '\n');
    for (const f of failures.slice(0, opts.maxShrink)) {
      console.log(`\n[${f.mode}] ${formatOutcome(f.shrunk ?? f.original)}`);
      console.log(`  reproduce: npm run isa -- --seed ${seed} --modes ${f.mode}${/case=(\d+)/.test(f.original.c.name) ? ` --case ${/case=(\d+)/.exec(f.original.c.name)![1]}` : ' (directed case)'}`);
    }
    if (failures.length > opts.maxShrink) console.log(`\n... and ${failures.length - opts.maxShrink} more failing cases`);
    if (opts.saveFailures && failures.length) {
      writeFileSync(opts.saveFailures, JSON.stringify(failures.map((f) => ({ mode: f.mode, case: caseToJson((f.shrunk ?? f.original).c) })), null, 1) + '\n');
    }
    const t = coverage.totals;
    const { never, mismatched } = coverage.problems();
    console.log(
      `\nisa: seed ${seed}: ${t.randomCases} random cases (${t.randomInstructions} instructions), ${t.directedCases} directed; ` +
        `${t.identicalCases} identical, ${t.mismatchedCases} mismatched, ${t.invalidCases} invalid; ` +
        `never exercised: ${never.length ? never.join(' ') : 'none'}; mismatched mnemonics: ${mismatched.length ? mismatched.join(' ') : 'none'} ` +
        `(${wallSeconds.toFixed(1)} s; report in ${join(opts.out, 'isa-coverage.md')})`,
    );
    if (failures.length || never.length) process.exitCode = 1;
  });

await program.parseAsync(process.argv);
