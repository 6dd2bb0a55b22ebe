// `zerosys pack`: the YAML spec cases as a portable conformance pack, the syscall equivalent
// of riscv-arch-test for a zkVM's or a sandbox's syscall layer. Each case is a standalone
// static ELF for rv64imac (lp64, no F or D): the freestanding syscall driver
// (driver/sysdriver.c) with the case's steps written into it, so it needs nothing from its
// runner but ecalls, a stdout and exit_group — no arguments, no environment, no files.
// Beside the ELFs: qemu-riscv64's record of each (stdout, exit status; its version and the
// date), a manifest, and a POSIX shell runner for any command.
//
//   DIR/cases/SYSCALL/SLUG.elf       the case
//   DIR/expected/SYSCALL/SLUG.out    qemu-riscv64's stdout (the driver's report)
//   DIR/manifest.json                cases (id, spec line, status, how to compare), cases left out and why
//   DIR/run.sh                       ./run.sh COMMAND... runs every case as `COMMAND... ELF`
//
// A case that lays out files in its working directory is left out (listed with the reason).
// A report compares byte for byte only where the spec compares everything: a case whose
// result or buffers are compared in part (a pid, a time, a struct with times in it), or
// where qemu deviates from Linux, is marked, and the runner says it ran without judging it.

import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { buildCorpus, REPO_ROOT, toolchainStatus } from '../corpus.ts';
import { qemuStatus } from '../qemu.ts';
import { runSide } from './exec.ts';
import { runPool } from './pool.ts';
import { caseSteps, driverArgv } from './specs/driver-args.ts';
import { DRIVER_MANIFEST, SPECS_DIR, specCaseId } from './specs/jobs.ts';
import { loadSpecDir } from './specs/load.ts';
import type { SpecCase } from './specs/model.ts';
import { resultIsValue } from './specs/judge.ts';
import { availableParallelism, tmpdir } from 'node:os';

/** Where the driver keeps its embedded case (sysdriver.c: CASE_MARKER, CASE_ARGS_SIZE). */
const CASE_MARKER = Buffer.from('@@zerosys-case@@\0', 'latin1');
const CASE_ARGS_SIZE = 16384;

export interface PackedCase {
  id: string;
  syscall: string;
  /** The spec line ("specs/read.yaml:12"). */
  source: string;
  elf: string;
  expected: string;
  /** qemu-riscv64's exit status (128 + N after signal N). */
  status: number;
  /** Whether the whole report is compared byte for byte; else why not. */
  exact: true | string;
}

export interface PackManifest {
  format: 'zerosys-conformance-pack';
  version: 1;
  reference: string;
  date: string;
  isa: 'rv64imac';
  cases: PackedCase[];
  left: { id: string; reason: string }[];
}

/** The driver binary with the case's words written after the marker. */
export function embedCase(driver: Buffer, words: string[]): Buffer {
  const at = driver.indexOf(CASE_MARKER);
  if (at < 0) throw new Error('the driver has no embedded-case marker (sysdriver.c CASE_MARKER)');
  const body = Buffer.concat([...words.map((w) => Buffer.concat([Buffer.from(w, 'utf8'), Buffer.from([0])])), Buffer.from([0])]);
  if (body.length > CASE_ARGS_SIZE - CASE_MARKER.length) throw new Error(`the case's steps take ${body.length} bytes, more than the driver holds`);
  const out = Buffer.from(driver);
  body.copy(out, at + CASE_MARKER.length);
  return out;
}

/** Why a case's report is not compared byte for byte (the judge compares it in part), or true. */
export function exactness(c: SpecCase): true | string {
  // The working directory's path is the runner's, not the one qemu ran in.
  if (caseSteps(c).some((s) => s.name === 'getcwd')) return 'getcwd reports the working directory, which is the runner\'s';
  if (c.qemuDeviates) return `qemu deviates from Linux here (${c.qemuDeviates}): the call is judged against Linux's answer`;
  if (c.compareRet !== 'exact') return `the call's result is compared as ${c.compareRet}`;
  for (const step of caseSteps(c)) {
    if (!resultIsValue(step)) return `${step.name}'s result (an address, an id or a clock reading) is compared as success`;
    for (const a of step.args) {
      if (a.kind === 'out' && a.check !== undefined) return `${step.name}'s output buffer is compared in part`;
    }
  }
  return true;
}

const RUNNER = `#!/bin/sh
# Runs every case of this pack as \`COMMAND... ELF\` in an empty directory and compares what it
# prints and its exit status with qemu-riscv64's (manifest.json says which qemu and when).
# Usage: ./run.sh COMMAND...     e.g.  ./run.sh my-vm run      or   ./run.sh qemu-riscv64
set -u
[ $# -gt 0 ] || { echo "usage: $0 COMMAND..." >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d) || exit 2
trap 'rm -rf "$work"' EXIT
pass=0 fail=0 ran=0
while IFS='	' read -r id elf expected status exact; do
  rm -rf "$work/run" && mkdir "$work/run"
  (cd "$work/run" && "$@" "$here/$elf" >"$work/out" 2>/dev/null </dev/null)
  got=$?
  if [ "$exact" != exact ]; then
    ran=$((ran + 1)); echo "RAN  $id (not compared byte for byte: $exact)"
  elif [ "$got" = "$status" ] && cmp -s "$work/out" "$here/$expected"; then
    pass=$((pass + 1)); echo "PASS $id"
  else
    fail=$((fail + 1)); echo "FAIL $id (status $got, qemu-riscv64 $status)"
  fi
done <"$here/cases.tsv"
echo "$pass pass, $fail fail, $ran ran without a byte-for-byte comparison"
[ "$fail" = 0 ]
`;

export interface PackOptions {
  out: string;
  filter?: string;
  /** Progress lines (default true). */
  verbose?: boolean;
}

export async function buildPack(opts: PackOptions): Promise<PackManifest> {
  const tools = toolchainStatus(['c']);
  if (!tools.ok) throw new Error(`a pack is built with the riscv64 cross compiler: ${tools.reason}`);
  const qemu = qemuStatus();
  if (!qemu.ok) throw new Error(`a pack records qemu-riscv64's results: ${qemu.reason}`);
  const [driver] = await buildCorpus({ manifest: DRIVER_MANIFEST, filter: (s) => s.name === 'sysdriver-imac' });
  const driverBytes = readFileSync(driver.binary);
  const { specs, errors } = loadSpecDir(SPECS_DIR, REPO_ROOT);
  if (errors.length) throw new Error(`invalid specs: ${errors[0].message}`);
  const filter = opts.filter ? new RegExp(opts.filter) : undefined;
  const cases = specs.flatMap((s) => s.cases).filter((c) => !filter || filter.test(specCaseId(c)));
  if (!cases.length) throw new Error(`--filter ${opts.filter} matches no spec case`);
  const out = resolve(opts.out);
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const left: PackManifest['left'] = [];
  const packable = cases.filter((c) => {
    if (c.files.length === 0) return true;
    left.push({ id: specCaseId(c), reason: 'lays out files in its working directory' });
    return false;
  });
  const work = mkdtempSync(join(tmpdir(), 'zerosys-pack-'));
  try {
    const packed = await runPool(packable, availableParallelism(), async (c, i): Promise<PackedCase | undefined> => {
      const id = specCaseId(c);
      const elf = join('cases', c.syscall, `${c.slug}.elf`);
      const expected = join('expected', c.syscall, `${c.slug}.out`);
      let bytes: Buffer;
      try {
        bytes = embedCase(driverBytes, driverArgv(c));
      } catch (e) {
        left.push({ id, reason: (e as Error).message });
        return undefined;
      }
      mkdirSync(dirname(join(out, elf)), { recursive: true });
      writeFileSync(join(out, elf), bytes);
      chmodSync(join(out, elf), 0o755);
      // A directory of its own per case (runSide keeps the stdin file beside it).
      const cwd = join(work, String(i), 'run');
      mkdirSync(cwd, { recursive: true });
      const r = await runSide('qemu', join(out, elf), { cwd, trace: false, isa: 'rv64imac', timeoutMs: 30_000 });
      if (r.timedOut) {
        left.push({ id, reason: 'qemu-riscv64 did not finish it in 30 s' });
        return undefined;
      }
      mkdirSync(dirname(join(out, expected)), { recursive: true });
      writeFileSync(join(out, expected), r.stdout);
      return { id, syscall: c.syscall, source: c.source, elf, expected, status: r.status, exact: exactness(c) };
    });
    const manifest: PackManifest = {
      format: 'zerosys-conformance-pack',
      version: 1,
      reference: qemu.version,
      date: new Date().toISOString(),
      isa: 'rv64imac',
      cases: packed.filter((p): p is PackedCase => p !== undefined).sort((a, b) => (a.id < b.id ? -1 : 1)),
      left: left.sort((a, b) => (a.id < b.id ? -1 : 1)),
    };
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
    writeFileSync(join(out, 'cases.tsv'), manifest.cases.map((p) => [p.id, p.elf, p.expected, p.status, p.exact === true ? 'exact' : p.exact].join('\t')).join('\n') + '\n');
    writeFileSync(join(out, 'run.sh'), RUNNER);
    chmodSync(join(out, 'run.sh'), 0o755);
    if (opts.verbose !== false) {
      const exact = manifest.cases.filter((p) => p.exact === true).length;
      console.log(`pack: ${manifest.cases.length} cases (${exact} compared byte for byte), ${manifest.left.length} left out → ${relative(process.cwd(), out) || out}`);
    }
    return manifest;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

export async function packCommand(opts: PackOptions): Promise<number> {
  try {
    await buildPack(opts);
    return 0;
  } catch (e) {
    console.error(`zerosys pack: ${(e as Error).message}`);
    return 2;
  }
}
