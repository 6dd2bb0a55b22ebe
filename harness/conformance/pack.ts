// `zerosys pack`: the YAML spec cases as a portable conformance pack, the syscall equivalent
// of riscv-arch-test for a zkVM's or a sandbox's syscall layer. Each case is a standalone
// static ELF for rv64imac (lp64, no F or D): the freestanding syscall driver
// (driver/sysdriver.c) with the case's steps written into it, so it needs nothing from its
// runner but ecalls, a stdout and exit_group — no arguments, no environment — and, for a
// case whose spec lays out files, write access to its working directory.
// Beside the ELFs: qemu-riscv64's record of each (stdout, exit status; its version and the
// date), a manifest, and a POSIX shell runner for any command.
//
//   DIR/cases/SYSCALL/SLUG.elf       the case
//   DIR/expected/SYSCALL/SLUG.out    qemu-riscv64's stdout (the driver's report)
//   DIR/manifest.json                cases (id, spec line, status, needs, how to compare), cases left out and why
//   DIR/cases.tsv                    the same for run.sh
//   DIR/run.sh                       ./run.sh [--no-files] COMMAND... runs every case as `COMMAND... ELF`
//   DIR/README.md                    how to run it, for whoever downloads the pack
//
// A case whose spec lays out files in its working directory creates them itself, before its
// steps (the driver's layout words, in the order workdir.ts's layOut creates them, so the
// modes come out as in a harness run), and needs `files`: write access to its working
// directory. A runner told the target has none (--no-files) skips it, saying why.
// A report compares byte for byte only where the spec compares everything: a case whose
// result or buffers are compared in part (a pid, a time, a struct with times in it), or
// where qemu deviates from Linux, is marked, and the runner says it ran without judging it.

import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { buildCorpus, REPO_ROOT, toolchainStatus } from '../corpus.ts';
import { qemuStatus } from '../qemu.ts';
import { runSide } from './exec.ts';
import { runPool } from './pool.ts';
import { caseSteps, driverArgv } from './specs/driver-args.ts';
import { DRIVER_MANIFEST, SPECS_DIR, specCaseId } from './specs/jobs.ts';
import { loadSpecDir } from './specs/load.ts';
import type { FileSetup, SpecCase } from './specs/model.ts';
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
  /** What the case needs beyond ecalls, a stdout and exit_group: `files`, write access to its working directory. */
  needs: 'files'[];
  /** Whether the whole report is compared byte for byte; else why not. */
  exact: true | string;
}

export interface PackManifest {
  format: 'zerosys-conformance-pack';
  version: 2;
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

/**
 * The driver's layout words (sysdriver.c) that create a case's files, as workdir.ts's layOut
 * does on the host for a harness run: entries in order, missing parent directories first with
 * mkdir's mode (0777 less the umask, as `mkdir -p`), files opened 0666 less the umask, then
 * every declared mode set exactly (chmod ignores the umask) in reverse order, so that a
 * read-only directory does not block its own contents.
 */
export function layoutWords(files: FileSetup[]): string[] {
  const words: string[] = [];
  const dirs = new Set<string>();
  const modes: Array<[string, number]> = [];
  const mkdir = (path: string) => {
    if (!dirs.has(path)) words.push('mkdir', path);
    dirs.add(path);
  };
  for (const f of files) {
    const parts = f.path.split('/').filter((p) => p !== '' && p !== '.');
    for (let i = 1; i < parts.length; i++) mkdir(parts.slice(0, i).join('/'));
    const path = parts.join('/');
    switch (f.type) {
      case 'dir':
        mkdir(path);
        modes.push([path, f.mode ?? 0o755]);
        break;
      case 'symlink':
        words.push('symlink', f.target ?? '', path);
        break;
      case 'fifo':
        words.push('mkfifo', path);
        modes.push([path, f.mode ?? 0o644]);
        break;
      default: {
        const data = f.content ?? Buffer.alloc(0);
        // Zeros (a `size:` file, up to 16 MiB) as a count: the case's words must fit in 16 KiB.
        words.push('create', path, data.length > 0 && data.every((b) => b === 0) ? `z:${data.length}` : `x:${data.toString('hex')}`);
        modes.push([path, f.mode ?? 0o644]);
      }
    }
  }
  for (const [path, mode] of modes.reverse()) words.push('chmod', path, `0${mode.toString(8)}`);
  return words;
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

/**
 * The runner: POSIX sh, so that it runs wherever the target does. Each case runs in a fresh
 * empty directory (a case may leave a directory without write permission behind: made
 * writable again before it is removed, without following symlinks) under umask 022, the
 * umask the records were made with (Linux's default, zerosys's initial one): a case that
 * creates a file shows its mode.
 */
const RUNNER = `#!/bin/sh
# The runner of a zerosys conformance pack (README.md). Usage: ./run.sh --help
usage() {
  cat <<'EOF'
usage: run.sh [--no-files] COMMAND...
Runs every case of this pack as \`COMMAND... ELF\` (e.g. ./run.sh my-vm run, or
./run.sh qemu-riscv64 -cpu rv64,f=false,d=false), each in a fresh empty working
directory, with umask 022 and stdin from /dev/null, and compares its stdout and exit
status with qemu-riscv64's record (manifest.json says which qemu and when).
  --no-files   the target cannot create files in its working directory: the cases
               that need files (they create their own before their calls; needs
               "files" in manifest.json) are skipped, each saying why
Prints per case PASS, FAIL (with the first line the case wrote on stderr), RAN (run,
not compared byte for byte: manifest.json says why) or SKIP, then the counts.
A case that cannot create its files exits with status 3 and says why on stderr.
Exit status: 0 when no case failed, 1 when one did, 2 on a usage error.
EOF
}
set -u
files=yes
while [ $# -gt 0 ]; do
  case $1 in
    --no-files) files=no; shift ;;
    -h|--help) usage; exit 0 ;;
    --) shift; break ;;
    -*) usage >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { usage >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d) || exit 2
# Removes DIR even when a case left a directory without write or search permission in it.
clean() {
  [ -e "$1" ] || return 0
  rm -rf "$1" 2>/dev/null && return 0
  find "$1" -type d -exec chmod u+rwx {} \\; 2>/dev/null
  rm -rf "$1"
}
trap 'clean "$work"' EXIT
umask 022
# qemu-riscv64's records were made with descriptors 0, 1 and 2 only: a case inherits any other
# the runner was started with (3-9 are closed for it below; sh cannot name higher ones).
inherited=$(cd /proc/self/fd 2>/dev/null && for f in *; do [ "$f" -gt 9 ] 2>/dev/null && [ -e "$f" ] && printf ' %s' "$f"; done)
[ -z "$inherited" ] || echo "run.sh: warning: descriptors$inherited are open and every case inherits them: a case that allocates descriptors may differ from qemu-riscv64's record" >&2
pass=0 fail=0 ran=0 skip=0
while IFS='	' read -r id elf expected status needs exact; do
  if [ "$needs" = files ] && [ "$files" = no ]; then
    skip=$((skip + 1)); echo "SKIP $id (needs files: it creates files in its working directory, and the target has none: --no-files)"
    continue
  fi
  { clean "$work/run" && mkdir "$work/run"; } || { echo "run.sh: cannot make an empty directory $work/run" >&2; exit 2; }
  # \`; exit\` keeps the subshell from becoming the case (sh's exec of a last command), so
  # that the "Terminated" it says when a case dies of a signal lands with the case's stderr.
  # The case writes its report into a pipe, as when its record was made: into a regular file
  # it would meet the case's own RLIMIT_FSIZE (the write cases set one).
  { (cd "$work/run" && "$@" "$here/$elf" </dev/null 3<&- 4<&- 5<&- 6<&- 7<&- 8<&- 9<&-; exit $?) 2>"$work/err"; echo $? >"$work/status"; } | cat >"$work/out"
  got=$(cat "$work/status")
  if [ "$exact" != exact ]; then
    ran=$((ran + 1)); echo "RAN  $id (not compared byte for byte: $exact)"
  elif [ "$got" = "$status" ] && cmp -s "$work/out" "$here/$expected"; then
    pass=$((pass + 1)); echo "PASS $id"
  else
    why=$(head -n 1 "$work/err")
    fail=$((fail + 1)); echo "FAIL $id (status $got, qemu-riscv64 $status)\${why:+: $why}"
  fi
done <"$here/cases.tsv"
echo "$pass pass, $fail fail, $ran ran without a byte-for-byte comparison, $skip skipped"
[ "$fail" = 0 ]
`;

/** The umask the records are made under and run.sh runs cases with: Linux's default, zerosys's initial one. */
const PACK_UMASK = 0o022;

/** Sets the process umask, returning the old one (a worker thread cannot: say so). */
function setUmask(mask: number): number {
  try {
    return process.umask(mask);
  } catch (e) {
    throw new Error(`a pack sets the umask for qemu-riscv64 (${(e as Error).message}): run it in a main thread`);
  }
}

/** rm -rf that also removes what a case left without write or search permission. */
function removeTree(dir: string): void {
  try {
    rmSync(dir, { recursive: true, force: true });
  } catch {
    const open = (d: string) => {
      chmodSync(d, 0o700);
      for (const e of readdirSync(d, { withFileTypes: true })) if (e.isDirectory()) open(join(d, e.name));
    };
    open(dir);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The pack's README.md: what it is and how to run it, for whoever downloads it. */
export function packReadme(m: PackManifest): string {
  const exact = m.cases.filter((p) => p.exact === true).length;
  const files = m.cases.filter((p) => p.needs.includes('files')).length;
  return `# zerosys conformance pack

${m.cases.length} Linux riscv64 syscall cases from zerosys's YAML specs, each a standalone static
ELF for rv64imac (lp64: no F or D), and the record of each made under ${m.reference}
on ${m.date}.
A case needs nothing from its runner but \`ecall\`s, a stdout and \`exit_group\`: no arguments,
no environment (its steps are inside it). ${files} of them also need \`files\`: write access to
their working directory, where they create the files their spec lays out before their calls
(mkdirat, openat, write, close, fchmodat, symlinkat; mknodat for a fifo).

    ./run.sh COMMAND...              run every case as \`COMMAND... ELF\`, e.g. ./run.sh my-vm run
    ./run.sh --no-files COMMAND...   for a target without a writable working directory: the
                                     cases that need files are skipped, each saying why
    ./run.sh --help

Each case runs in a fresh empty directory, umask 022, stdin /dev/null. ${exact} cases are compared
byte for byte (stdout and exit status); the others (a pid, an address, a time, inodes, or
where qemu deviates from Linux: \`exact\` in manifest.json says why) are run and listed as RAN.
A case that cannot create its files exits with status 3 and says why on stderr.
${m.left.length ? `\n${m.left.length} spec cases are not in the pack (manifest.json \`left\` says why).\n` : ''}
Files: \`cases/SYSCALL/SLUG.elf\`, \`expected/SYSCALL/SLUG.out\` (the record: stdout), \`manifest.json\`
(per case: id, spec line, qemu's exit status, needs, exact), \`cases.tsv\` (the same for run.sh).
`;
}

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
  const work = mkdtempSync(join(tmpdir(), 'zerosys-pack-'));
  // qemu-riscv64 passes the umask to the host: the records are made under the one run.sh
  // sets, Linux's default (a case that creates a file or lays one out shows its mode).
  const umask = setUmask(PACK_UMASK);
  try {
    const packed = await runPool(cases, availableParallelism(), async (c, i): Promise<PackedCase | undefined> => {
      const id = specCaseId(c);
      const elf = join('cases', c.syscall, `${c.slug}.elf`);
      const expected = join('expected', c.syscall, `${c.slug}.out`);
      let bytes: Buffer;
      try {
        bytes = embedCase(driverBytes, [...layoutWords(c.files), ...driverArgv(c)]);
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
      removeTree(cwd);
      if (r.status === 3 && r.stderr.includes('sysdriver: cannot lay out')) {
        left.push({ id, reason: `could not create its files under qemu-riscv64: ${r.stderr.toString('utf8').trim()}` });
        return undefined;
      }
      mkdirSync(dirname(join(out, expected)), { recursive: true });
      writeFileSync(join(out, expected), r.stdout);
      const needs: PackedCase['needs'] = c.files.length ? ['files'] : [];
      return { id, syscall: c.syscall, source: c.source, elf, expected, status: r.status, needs, exact: exactness(c) };
    });
    const manifest: PackManifest = {
      format: 'zerosys-conformance-pack',
      version: 2,
      reference: qemu.version,
      date: new Date().toISOString(),
      isa: 'rv64imac',
      cases: packed.filter((p): p is PackedCase => p !== undefined).sort((a, b) => (a.id < b.id ? -1 : 1)),
      left: left.sort((a, b) => (a.id < b.id ? -1 : 1)),
    };
    writeFileSync(join(out, 'manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
    // One line per case for run.sh; `-` for no needs (read splits on tabs, and would merge an empty field).
    writeFileSync(join(out, 'cases.tsv'), manifest.cases.map((p) => [p.id, p.elf, p.expected, p.status, p.needs.join(',') || '-', p.exact === true ? 'exact' : p.exact].join('\t')).join('\n') + '\n');
    writeFileSync(join(out, 'run.sh'), RUNNER);
    chmodSync(join(out, 'run.sh'), 0o755);
    writeFileSync(join(out, 'README.md'), packReadme(manifest));
    if (opts.verbose !== false) {
      const exact = manifest.cases.filter((p) => p.exact === true).length;
      const files = manifest.cases.filter((p) => p.needs.includes('files')).length;
      console.log(`pack: ${manifest.cases.length} cases (${exact} compared byte for byte, ${files} need files), ${manifest.left.length} left out → ${relative(process.cwd(), out) || out}`);
    }
    return manifest;
  } finally {
    setUmask(umask);
    removeTree(work);
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
