// Targets: the implementations a conformance run can judge against the reference. `zerosys`
// and `qemu` are built in; others are declared in a YAML file (--targets FILE) by the command
// that runs a static riscv64 program on them and what they can do. A case that needs what a
// target lacks (threads, files in its working directory, ...) is reported as skipped with
// that reason, never as a pass or a fail.
//
//   targets:
//     - name: my-vm
//       command: [my-vm, run, '{prog}', '--', '{args}']   # {args}: zero or more words
//       env: { MY_VM_LOG: off }                            # for the runner process
//       timeout: 60                                        # seconds per run
//       capabilities: { argv: true, stdin: true, files: true, threads: false, isa: rv64imac }
//
// A declared target's syscalls are not traced, so its cases are judged on what the program
// shows (exit status, stdout, stderr, the files it leaves, and for spec cases the driver's
// record of every call's result and buffers), and reports say the trace was not compared.

import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import { ISA_NAMES, isIsaName, type IsaName } from '../../emulator/isa.ts';
import { Checker } from './specs/load.ts';
import { SpecError } from './specs/model.ts';

/** What a target can give a guest. */
export interface Capabilities {
  /** Arguments after the program name. */
  argv: boolean;
  /** Bytes on standard input. */
  stdin: boolean;
  /** The case's files in the working directory the target runs in, and what the guest leaves there (without it, cases that lay out files are skipped and what is left is not compared). */
  files: boolean;
  /** More than one thread (clone with CLONE_THREAD). */
  threads: boolean;
  /** The ISA profile the target executes: an rv64gc program does not run on rv64imac. */
  isa: IsaName;
}

export type Capability = Exclude<keyof Capabilities, 'isa'>;
const CAPABILITY_FLAGS: Capability[] = ['argv', 'stdin', 'files', 'threads'];

export interface DeclaredTarget {
  kind: 'declared';
  name: string;
  /** argv template: '{prog}' the program's absolute path, '{args}' its arguments, '{cwd}' the working directory. */
  command: string[];
  env: Record<string, string>;
  timeoutMs?: number;
  capabilities: Capabilities;
  /** Where it was declared ("targets.yaml:3"). */
  source: string;
}

/** zerosys itself and a second qemu-riscv64 (the reference against itself). */
export interface BuiltinTarget {
  kind: 'zerosys' | 'qemu';
  name: 'zerosys' | 'qemu';
}

export type Target = BuiltinTarget | DeclaredTarget;

export const ZEROSYS_TARGET: BuiltinTarget = { kind: 'zerosys', name: 'zerosys' };
export const QEMU_TARGET: BuiltinTarget = { kind: 'qemu', name: 'qemu' };
const BUILTIN = new Map<string, Target>([
  ['zerosys', ZEROSYS_TARGET],
  ['qemu', QEMU_TARGET],
]);

export class TargetsError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join('\n'));
  }
}

const NAME = /^[a-z0-9][a-z0-9._-]*$/;
const PLACEHOLDERS = new Set(['{prog}', '{args}', '{cwd}']);

/** Parse a targets file; every problem is reported with its file:line:column. */
export function parseTargets(text: string, file: string): DeclaredTarget[] {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, intAsBigInt: true });
  const c = new Checker(file, lines);
  for (const e of doc.errors) c.errors.push(new SpecError(file, e.linePos?.[0].line ?? 1, e.linePos?.[0].col ?? 1, e.message));
  const out: DeclaredTarget[] = [];
  const top = c.errors.length ? undefined : c.fields(doc.contents as Node, 'a targets file', ['targets']);
  const list = top?.get('targets');
  if (top && !isSeq(list)) c.fail(list ?? (doc.contents as Node), 'expected `targets:` with a list of targets');
  for (const item of isSeq(list) ? (list.items as Node[]) : []) {
    const f = c.fields(item, 'a target', ['name', 'command', 'env', 'timeout', 'capabilities']);
    if (!f) continue;
    const name = f.has('name') ? c.string(f.get('name'), 'the target name') : c.fail(item, 'a target needs a name');
    if (name !== undefined && !NAME.test(name)) c.fail(f.get('name'), `expected a name of lowercase letters, digits, '.', '_' and '-', got ${JSON.stringify(name)}`);
    if (name !== undefined && (BUILTIN.has(name) || out.some((t) => t.name === name))) c.fail(f.get('name'), `target ${name} is ${BUILTIN.has(name) ? 'built in' : 'declared twice'}`);
    const command = commandOf(c, f.get('command'), item, f.has('command'));
    const env: Record<string, string> = {};
    const envNode = f.get('env');
    if (f.has('env') && !isMap(envNode)) c.fail(envNode, 'expected env: a mapping of variable names to strings');
    for (const pair of isMap(envNode) ? (envNode.items as Pair<Node, Node | null>[]) : []) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) c.fail(pair.key, `expected an environment variable name, got ${JSON.stringify(key)}`);
      else if (!isScalar(pair.value) || pair.value.value === null || typeof pair.value.value === 'object') c.fail(pair.value ?? pair.key, `expected a value for ${key}`);
      else env[key] = String(pair.value.value);
    }
    const timeout = f.has('timeout') ? c.smallInt(f.get('timeout'), 'a timeout in seconds', 86_400) : undefined;
    if (timeout === 0) c.fail(f.get('timeout'), 'expected a timeout of at least 1 second');
    const caps = capabilitiesOf(c, f.get('capabilities'), item, f.has('capabilities'));
    if (name === undefined || !command || !caps) continue;
    const line = c.at(item).line;
    out.push({ kind: 'declared', name, command, env, ...(timeout ? { timeoutMs: timeout * 1000 } : {}), capabilities: caps, source: `${file}:${line}` });
  }
  if (c.errors.length) throw new TargetsError(c.errors.map((e) => e.message));
  return out;
}

function commandOf(c: Checker, node: Node | null | undefined, item: Node, present: boolean): string[] | undefined {
  if (!present) return c.fail(item, 'a target needs a command (a list of words, with {prog} where the program goes)');
  if (!isSeq(node) || node.items.length === 0) return c.fail(node, 'expected a command: a non-empty list of words');
  const words: string[] = [];
  for (const w of node.items as Node[]) {
    const s = c.string(w, 'a command word');
    if (s === undefined) return undefined;
    for (const p of s.match(/\{[a-z]*\}/g) ?? []) if (!PLACEHOLDERS.has(p)) return c.fail(w, `unknown placeholder ${p}; expected {prog}, {args} or {cwd}`);
    if (s.includes('{args}') && s !== '{args}') return c.fail(w, '{args} must be a word of its own (it stands for zero or more words)');
    words.push(s);
  }
  if (!words.some((w) => w.includes('{prog}'))) return c.fail(node, 'the command never names the program: put {prog} where it goes');
  return words;
}

function capabilitiesOf(c: Checker, node: Node | null | undefined, item: Node, present: boolean): Capabilities | undefined {
  if (!present) return c.fail(item, `a target needs capabilities (${CAPABILITY_FLAGS.join(', ')}: true or false; isa: ${ISA_NAMES.join(' or ')})`);
  const f = c.fields(node, 'capabilities', [...CAPABILITY_FLAGS, 'isa']);
  if (!f) return undefined;
  const caps: Partial<Capabilities> = {};
  let ok = true;
  for (const k of CAPABILITY_FLAGS) {
    const v = f.get(k);
    if (!f.has(k)) ok = !!c.fail(node, `capabilities: say whether the target has ${k} (true or false)`);
    else if (!isScalar(v) || typeof v.value !== 'boolean') ok = !!c.fail(v, `expected true or false for ${k}`);
    else caps[k] = v.value;
  }
  const isa = f.has('isa') ? c.string(f.get('isa'), 'an ISA profile') : 'rv64gc';
  if (isa === undefined || !isIsaName(isa)) ok = !!c.fail(f.get('isa'), `expected isa ${ISA_NAMES.join(' or ')}`);
  else caps.isa = isa;
  return ok ? (caps as Capabilities) : undefined;
}

export function loadTargets(path: string): DeclaredTarget[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new TargetsError([`${path}: ${(e as Error).message}`]);
  }
  return parseTargets(text, relative(process.cwd(), path) || path);
}

/** The target called `name`: built in, or declared in `declared`. */
export function findTarget(name: string, declared: DeclaredTarget[]): Target {
  const t = BUILTIN.get(name) ?? declared.find((d) => d.name === name);
  if (!t) throw new TargetsError([`--target: no target named ${name} (built in: ${[...BUILTIN.keys()].join(', ')}${declared.length ? `; declared: ${declared.map((d) => d.name).join(', ')}` : '; declare one with --targets FILE'})`]);
  return t;
}

/** What a case asks of the implementation under test. */
export interface CaseNeeds {
  args: string[];
  stdin: Buffer;
  /** It lays out files in its working directory. */
  files: boolean;
  /** It may start threads. */
  threads: boolean;
  isa: IsaName;
}

/** Why a target cannot run a case, or undefined when it can. */
export function missingCapability(t: Target, needs: CaseNeeds): string | undefined {
  if (t.kind !== 'declared') return undefined;
  const caps = t.capabilities;
  const lacks: string[] = [];
  if (needs.args.length > 0 && !caps.argv) lacks.push('argv (the case passes arguments)');
  if (needs.stdin.length > 0 && !caps.stdin) lacks.push('stdin (the case gives input)');
  if (needs.files && !caps.files) lacks.push('files (the case lays out files in its working directory)');
  if (needs.threads && !caps.threads) lacks.push('threads (the program may start threads)');
  if (needs.isa !== caps.isa && caps.isa === 'rv64imac') lacks.push(`${needs.isa} (the program is built for ${needs.isa}; the target runs ${caps.isa})`);
  return lacks.length ? `target ${t.name} lacks ${lacks.join(', ')}` : undefined;
}

/** The target's command for one run: placeholders replaced ({args} by the arguments, word by word). */
export function targetArgv(t: DeclaredTarget, prog: string, args: string[], cwd: string): string[] {
  return t.command.flatMap((w) => (w === '{args}' ? args : [w.replaceAll('{prog}', prog).replaceAll('{cwd}', cwd)]));
}

/** How a report names the implementation under test. */
export function targetDescription(t: Target): { name: string; command?: string[]; capabilities?: Capabilities; source?: string } {
  return t.kind === 'declared' ? { name: t.name, command: t.command, capabilities: t.capabilities, source: t.source } : { name: t.name };
}
