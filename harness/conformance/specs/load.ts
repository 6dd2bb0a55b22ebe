// Load and validate specs/*.yaml. Every error names the file, line and column and says what
// was expected there; all errors of a file are collected, not just the first.

import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { NR } from '../../../kernel/syscall-numbers.ts';
import { QEMU_DEVIATIONS } from '../deviations.ts';
import { ERRNO, evalConstant } from './constants.ts';
import { SpecError, type ArgSpec, type CallSpec, type FileSetup, type SpecCase, type SpecFile } from './model.ts';

export function slugify(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
}

export class Checker {
  readonly errors: SpecError[] = [];
  constructor(
    readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  at(node: Node | null | undefined): { line: number; column: number } {
    const offset = node?.range?.[0] ?? 0;
    const pos = this.lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  }

  fail(node: Node | null | undefined, detail: string): undefined {
    const { line, column } = this.at(node);
    this.errors.push(new SpecError(this.file, line, column, detail));
    return undefined;
  }

  /** A map's pairs as key -> value node; unknown keys are errors. */
  fields(node: Node | null | undefined, what: string, allowed: string[]): Map<string, Node | null> | undefined {
    if (!isMap(node)) return this.fail(node, `expected ${what} (a mapping with keys ${allowed.join(', ')})`);
    const out = new Map<string, Node | null>();
    for (const pair of (node as YAMLMap).items as Pair<Node, Node | null>[]) {
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (key === undefined || !allowed.includes(key)) {
        this.fail(pair.key, `unexpected key ${JSON.stringify(key)} in ${what}; expected one of ${allowed.join(', ')}`);
        continue;
      }
      out.set(key, pair.value);
    }
    return out;
  }

  string(node: Node | null | undefined, what: string): string | undefined {
    if (isScalar(node) && typeof node.value === 'string') return node.value;
    return this.fail(node, `expected ${what} (a string)`);
  }

  int(node: Node | null | undefined, what: string): bigint | undefined {
    if (isScalar(node) && typeof node.value === 'bigint') return node.value;
    if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) return BigInt(node.value);
    if (isScalar(node) && typeof node.value === 'string') {
      const v = evalConstant(node.value);
      if (typeof v === 'bigint') return v;
      return this.fail(node, `expected ${what}: ${v}`);
    }
    return this.fail(node, `expected ${what} (an integer or a constant like O_RDONLY|O_CLOEXEC)`);
  }

  smallInt(node: Node | null | undefined, what: string, max = 1 << 20): number | undefined {
    const v = this.int(node, what);
    if (v === undefined) return undefined;
    if (v < 0n || v > BigInt(max)) return this.fail(node, `expected ${what} between 0 and ${max}`);
    return Number(v);
  }
}

const ARG_FORMS = 'an integer, a constant expression, or one of {str}, {out}, {hex}, {i64}, {i32}, {iov}, {ref}, {ptr}';

function parseArg(c: Checker, node: Node | null, steps: Set<string>, inIov = false): ArgSpec | undefined {
  if (isScalar(node)) {
    const value = c.int(node, `an argument (${ARG_FORMS})`);
    return value === undefined ? undefined : { kind: 'int', value };
  }
  if (!isMap(node)) return c.fail(node, `expected an argument: ${ARG_FORMS}`);
  const f = c.fields(node, 'an argument', ['str', 'repeat', 'out', 'check', 'hex', 'i64', 'i32', 'iov', 'ref', 'add', 'ptr']);
  if (!f) return undefined;
  const forms = ['str', 'out', 'hex', 'i64', 'i32', 'iov', 'ref', 'ptr'].filter((k) => f.has(k));
  if (forms.length !== 1) return c.fail(node, `expected exactly one of str, out, hex, i64, i32, iov, ref, ptr in an argument, got ${forms.join(', ') || 'none'}`);
  const form = forms[0];
  if (inIov && !['str', 'out', 'hex'].includes(form)) return c.fail(node, 'expected an iovec element: {str}, {out} or {hex}');
  switch (form) {
    case 'str': {
      const text = c.string(f.get('str'), 'str text');
      const repeat = f.has('repeat') ? c.smallInt(f.get('repeat'), 'repeat count', 100_000) : 1;
      if (text === undefined || repeat === undefined) return undefined;
      if (text.includes('\0')) return c.fail(f.get('str'), 'expected str text without NUL bytes');
      return { kind: 'str', text: text.repeat(repeat) };
    }
    case 'out': {
      const size = c.smallInt(f.get('out'), 'out buffer size', 65536);
      if (size === undefined) return undefined;
      const checkNode = f.get('check');
      if (checkNode === undefined) return { kind: 'out', size };
      if (isScalar(checkNode) && checkNode.value === 'none') return { kind: 'out', size, check: 'none' };
      if (!isSeq(checkNode)) return c.fail(checkNode, 'expected check: none, or a list of [offset, length] ranges to compare');
      const ranges: Array<[number, number]> = [];
      for (const r of checkNode.items as Node[]) {
        if (!isSeq(r) || r.items.length !== 2) {
          c.fail(r, 'expected a range [offset, length]');
          continue;
        }
        const off = c.smallInt(r.items[0] as Node, 'range offset', size);
        const len = c.smallInt(r.items[1] as Node, 'range length', size);
        if (off !== undefined && len !== undefined) {
          if (off + len > size) c.fail(r, `expected a range inside the ${size}-byte buffer`);
          else ranges.push([off, len]);
        }
      }
      return { kind: 'out', size, check: ranges };
    }
    case 'hex': {
      const hex = c.string(f.get('hex'), 'hex bytes');
      if (hex === undefined) return undefined;
      const clean = hex.replace(/\s+/g, '');
      if (!/^([0-9a-fA-F]{2})*$/.test(clean)) return c.fail(f.get('hex'), 'expected an even number of hex digits');
      return { kind: 'hex', bytes: clean.toLowerCase() };
    }
    case 'i64':
    case 'i32': {
      const list = f.get(form);
      if (!isSeq(list) || list.items.length === 0) return c.fail(list, `expected ${form}: a non-empty list of integers`);
      const values = (list.items as Node[]).map((n) => c.int(n, 'an integer'));
      if (values.some((v) => v === undefined)) return undefined;
      return { kind: form, values: values as bigint[] };
    }
    case 'iov': {
      const list = f.get('iov');
      if (!isSeq(list) || list.items.length > 16) return c.fail(list, 'expected iov: a list of at most 16 buffers');
      const items = (list.items as Node[]).map((n) => parseArg(c, n, steps, true));
      if (items.some((i) => i === undefined)) return undefined;
      return { kind: 'iov', items: items as ArgSpec[] };
    }
    case 'ref': {
      const id = c.string(f.get('ref'), 'the id of an earlier step');
      if (id === undefined) return undefined;
      if (!steps.has(id)) return c.fail(f.get('ref'), `expected the id of an earlier step (known: ${[...steps].join(', ') || 'none'})`);
      const add = f.has('add') ? c.int(f.get('add'), 'an offset') : 0n;
      return add === undefined ? undefined : { kind: 'ref', id, add };
    }
    case 'ptr': {
      const node = f.get('ptr');
      const which = isScalar(node) && node.value === null ? 'null' : isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
      const value = which === 'null' ? 0n : which === 'unmapped' ? 0x10n : which === 'kernel' ? -4096n : undefined;
      if (value === undefined) return c.fail(f.get('ptr'), 'expected ptr: null, unmapped or kernel');
      return { kind: 'int', value };
    }
  }
  return undefined;
}

function parseArgs(c: Checker, node: Node | null | undefined, steps: Set<string>): ArgSpec[] | undefined {
  if (!isSeq(node)) return c.fail(node, 'expected args: a list of at most 6 arguments');
  if (node.items.length > 6) return c.fail(node, 'expected at most 6 arguments');
  const args = (node.items as Node[]).map((n) => parseArg(c, n, steps));
  return args.some((a) => a === undefined) ? undefined : (args as ArgSpec[]);
}

function syscallNr(c: Checker, node: Node | null | undefined, name: string | undefined): number | undefined {
  if (name === undefined) return undefined;
  const nr = (NR as Record<string, number>)[name];
  if (nr === undefined) return c.fail(node, `expected a riscv64 syscall name, got "${name}"`);
  return nr;
}

function parseStep(c: Checker, node: Node | null, steps: Set<string>): CallSpec | undefined {
  const f = c.fields(node, 'a step', ['id', 'call', 'args']);
  if (!f) return undefined;
  const name = c.string(f.get('call'), 'call: a syscall name');
  const nr = syscallNr(c, f.get('call'), name);
  const args = parseArgs(c, f.get('args') ?? null, steps);
  let id: string | undefined;
  if (f.has('id')) {
    id = c.string(f.get('id'), 'a step id');
    if (id !== undefined && steps.has(id)) c.fail(f.get('id'), `expected a new step id; "${id}" is already used`);
  }
  if (name === undefined || nr === undefined || !args) return undefined;
  if (id !== undefined) steps.add(id);
  return { id, name, nr, args, line: c.at(node).line };
}

function parseFiles(c: Checker, node: Node | null | undefined): FileSetup[] | undefined {
  if (!isSeq(node)) return c.fail(node, 'expected files: a list of {path, type?, content?|hex?|size?, mode?, target?}');
  const out: FileSetup[] = [];
  for (const item of node.items as Node[]) {
    const f = c.fields(item, 'a file', ['path', 'type', 'content', 'hex', 'size', 'mode', 'target']);
    if (!f) continue;
    const path = c.string(f.get('path'), 'path (relative to the working directory)');
    if (path !== undefined && (path.startsWith('/') || path.split('/').includes('..'))) {
      c.fail(f.get('path'), 'expected a relative path inside the working directory (no leading /, no ..)');
      continue;
    }
    const type = (f.has('type') ? c.string(f.get('type'), 'type: file, dir, symlink or fifo') : 'file') as FileSetup['type'] | undefined;
    if (type !== undefined && !['file', 'dir', 'symlink', 'fifo'].includes(type)) {
      c.fail(f.get('type'), 'expected type: file, dir, symlink or fifo');
      continue;
    }
    const entry: FileSetup = { path: path ?? '', type: type ?? 'file' };
    if (f.has('mode')) entry.mode = c.smallInt(f.get('mode'), 'mode (e.g. 0o644)', 0o7777);
    if (type === 'symlink') {
      entry.target = c.string(f.get('target'), 'target of the symlink');
    } else if (f.has('target')) c.fail(f.get('target'), 'expected target only with type: symlink');
    if (f.has('content')) {
      const text = c.string(f.get('content'), 'content text');
      if (text !== undefined) entry.content = Buffer.from(text, 'utf8');
    } else if (f.has('hex')) {
      const hex = c.string(f.get('hex'), 'hex bytes');
      if (hex !== undefined) entry.content = Buffer.from(hex.replace(/\s+/g, ''), 'hex');
    } else if (f.has('size')) {
      const size = c.smallInt(f.get('size'), 'size in bytes', 16 << 20);
      if (size !== undefined) entry.content = Buffer.alloc(size);
    }
    if (entry.content && type !== 'file') c.fail(item, 'expected content/hex/size only for type: file');
    if (path !== undefined) out.push(entry);
  }
  return out;
}

function parseCase(c: Checker, node: Node, syscall: string, nr: number, relPath: string, seen: Set<string>): SpecCase | undefined {
  const f = c.fields(node, 'a case', ['name', 'setup', 'call', 'after', 'expect', 'compare', 'files', 'qemu_deviates']);
  if (!f) return undefined;
  const name = c.string(f.get('name'), 'name: what the case checks');
  const slug = name ? slugify(name) : '';
  if (name !== undefined) {
    if (!slug) c.fail(f.get('name'), 'expected a name with letters or digits');
    else if (seen.has(slug)) c.fail(f.get('name'), `expected a unique case name; "${name}" repeats an earlier one`);
    seen.add(slug);
  }
  const steps = new Set<string>();
  let files: FileSetup[] = [];
  let setup: CallSpec[] = [];
  if (f.has('setup')) {
    const s = c.fields(f.get('setup'), 'setup', ['files', 'calls']);
    if (s?.has('files')) files = parseFiles(c, s.get('files')) ?? [];
    if (s?.has('calls')) {
      const list = s.get('calls');
      if (!isSeq(list)) c.fail(list, 'expected calls: a list of steps {id?, call, args}');
      else setup = (list.items as Node[]).map((n) => parseStep(c, n, steps)).filter((x) => x !== undefined);
    }
  }
  const callNode = f.get('call');
  let call: CallSpec | undefined;
  if (isSeq(callNode)) {
    const args = parseArgs(c, callNode, steps);
    if (args) call = { name: syscall, nr, args, line: c.at(callNode).line };
  } else if (isMap(callNode)) {
    const cf = c.fields(callNode, 'the call', ['id', 'name', 'args']);
    const cname = cf?.has('name') ? c.string(cf.get('name'), 'a syscall name') : syscall;
    const cnr = syscallNr(c, cf?.get('name'), cname);
    const args = cf ? parseArgs(c, cf.get('args') ?? null, steps) : undefined;
    const id = cf?.has('id') ? c.string(cf.get('id'), 'a step id') : undefined;
    if (id !== undefined && steps.has(id)) c.fail(cf!.get('id'), `expected a new step id; "${id}" is already used`);
    else if (id !== undefined) steps.add(id);
    if (cname !== undefined && cnr !== undefined && args) call = { id, name: cname, nr: cnr, args, line: c.at(callNode).line };
  } else {
    c.fail(callNode ?? node, 'expected call: a list of arguments, or {name, args}');
  }
  let after: CallSpec[] = [];
  if (f.has('after')) {
    const list = f.get('after');
    if (!isSeq(list)) c.fail(list, 'expected after: a list of steps {id?, call, args}');
    else after = (list.items as Node[]).map((n) => parseStep(c, n, steps)).filter((x) => x !== undefined);
  }
  let expect: SpecCase['expect'];
  if (f.has('expect')) {
    const e = c.fields(f.get('expect'), 'expect', ['errno', 'ret']);
    if (e) {
      expect = {};
      if (e.has('errno')) {
        const errnoName = c.string(e.get('errno'), 'an errno name like ENOENT');
        if (errnoName !== undefined) {
          if (!(errnoName in ERRNO)) c.fail(e.get('errno'), `expected an errno name like ENOENT, got "${errnoName}"`);
          else expect = { ...expect, errno: ERRNO[errnoName], errnoName };
        }
      }
      if (e.has('ret')) {
        const ret = c.int(e.get('ret'), 'the expected return value');
        if (ret !== undefined) expect = { ...expect, ret };
      }
      if (e.has('errno') && e.has('ret')) c.fail(f.get('expect'), 'expected either errno or ret, not both');
    }
  }
  let compareRet: SpecCase['compareRet'] = 'exact';
  if (f.has('compare')) {
    const cf = c.fields(f.get('compare'), 'compare', ['ret']);
    const how = cf?.has('ret') ? c.string(cf.get('ret'), 'exact or success') : undefined;
    if (how !== undefined && how !== 'exact' && how !== 'success') c.fail(cf!.get('ret'), 'expected ret: exact or success');
    else if (how) compareRet = how;
  }
  let compareFiles = true;
  if (f.has('files')) {
    const v = f.get('files');
    if (isScalar(v) && typeof v.value === 'boolean') compareFiles = v.value;
    else c.fail(v, 'expected files: true or false');
  }
  let qemuDeviates: string | undefined;
  if (f.has('qemu_deviates')) {
    qemuDeviates = c.string(f.get('qemu_deviates'), 'qemu_deviates: the id of a qemu deviation in harness/conformance/deviations.ts');
    // An excuse must be cited: only ids of the registry (each carries its Linux citation).
    if (qemuDeviates !== undefined && !Object.hasOwn(QEMU_DEVIATIONS, qemuDeviates)) {
      c.fail(f.get('qemu_deviates'), `qemu_deviates: "${qemuDeviates}" is not a qemu deviation of harness/conformance/deviations.ts (add it there, with a citation)`);
      qemuDeviates = undefined;
    }
    if (qemuDeviates !== undefined && !expect) c.fail(f.get('qemu_deviates'), 'expected an expect: entry (the Linux result) alongside qemu_deviates');
  }
  if (name === undefined || !call) return undefined;
  return { syscall, name, slug, source: `${relPath}:${c.at(node).line}`, files, setup, call, after, expect, compareRet, compareFiles, qemuDeviates };
}

/** Parse one spec file's text; throws an AggregateError of SpecErrors when invalid. */
export function parseSpec(text: string, path: string, root = process.cwd()): SpecFile {
  const relPath = relative(root, path) || path;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, intAsBigInt: true, prettyErrors: false });
  const c = new Checker(relPath, lines);
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    c.errors.push(new SpecError(relPath, pos.line, pos.col, `YAML syntax: ${e.message.split('\n')[0]}`));
  }
  if (c.errors.length) throw new AggregateError(c.errors, c.errors.map((e) => e.message).join('\n'));
  const top = c.fields(doc.contents as Node, 'a spec file', ['syscall', 'man', 'cases']);
  const expected = basename(path, '.yaml');
  const syscall = top ? c.string(top.get('syscall'), 'syscall: the syscall this file specifies') : undefined;
  if (syscall !== undefined && syscall !== expected) c.fail(top!.get('syscall'), `expected syscall: ${expected} (the file name)`);
  const nr = syscallNr(c, top?.get('syscall'), syscall);
  const man = top?.has('man') ? c.string(top.get('man'), 'man: a man page reference like openat(2)') : undefined;
  const list = top?.get('cases');
  const cases: SpecCase[] = [];
  if (top && (!isSeq(list) || list.items.length === 0)) c.fail(list ?? (doc.contents as Node), 'expected cases: a non-empty list');
  else if (syscall !== undefined && nr !== undefined && isSeq(list)) {
    const seen = new Set<string>();
    for (const item of list.items as Node[]) {
      const sc = parseCase(c, item, syscall, nr, relPath, seen);
      if (sc) cases.push(sc);
    }
  }
  if (c.errors.length) throw new AggregateError(c.errors, c.errors.map((e) => e.message).join('\n'));
  return { path: relPath, syscall: syscall!, man, cases };
}

export function loadSpecFile(path: string, root?: string): SpecFile {
  return parseSpec(readFileSync(path, 'utf8'), path, root);
}

/** Every specs/*.yaml; invalid files are returned as errors (never thrown). */
export function loadSpecDir(dir: string, root?: string): { specs: SpecFile[]; errors: SpecError[] } {
  const specs: SpecFile[] = [];
  const errors: SpecError[] = [];
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.yaml')).sort()) {
    try {
      specs.push(loadSpecFile(join(dir, name), root));
    } catch (e) {
      if (e instanceof AggregateError) errors.push(...(e.errors as SpecError[]));
      else throw e;
    }
  }
  return { specs, errors };
}
