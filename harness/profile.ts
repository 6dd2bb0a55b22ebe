// Kernel configuration for `zerosys run`: which modules are linked (--modules), the
// machine's memory (--mem), the start of the virtual clock (--epoch), and a profile file
// holding any of them (--profile; options on the command line win over the file).
//
// Profile file (YAML or JSON):
//   modules: [memory, vfs, process]   # or "memory,vfs,process"; "all" for every module
//   mem: 512M                         # bytes, or with K/M/G/T (binary units)
//   epoch: 2024-01-01T00:00:00Z       # or seconds since 1970
//   isa: rv64imac                     # the instruction set (--isa): rv64gc (default) or rv64imac
//   onUnsupported: enosys             # an unsupported syscall (--on-unsupported): fail (default) or enosys

import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { parseMemSize } from '../kernel/memory/mm-state.ts';
import { NS_PER_SEC } from '../kernel/time/clock.ts';
import { MODULES, type ModuleName } from '../kernel/types.ts';
import type { OnUnsupported } from '../kernel/kernel.ts';
import { ISA_NAMES, isIsaName, type IsaName } from '../emulator/isa.ts';

export class ProfileError extends Error {}

export interface KernelProfile {
  modules?: ModuleName[];
  memBytes?: number;
  epochNs?: bigint;
  isa?: IsaName;
  onUnsupported?: OnUnsupported;
}

const PROFILE_KEYS = ['modules', 'mem', 'epoch', 'isa', 'onUnsupported'];
const ON_UNSUPPORTED: readonly OnUnsupported[] = ['fail', 'enosys'];

/** "memory,vfs" (or a list) → module names; "all" → every module. Unknown names are errors. */
export function parseModules(value: string | readonly unknown[]): ModuleName[] {
  const names = (typeof value === 'string' ? value.split(',') : value).map((v) => String(v).trim()).filter((v) => v !== '');
  if (names.length === 1 && names[0] === 'all') return [...MODULES];
  const bad = names.filter((n) => !(MODULES as readonly string[]).includes(n));
  if (bad.length) throw new ProfileError(`unknown module${bad.length > 1 ? 's' : ''} ${bad.join(', ')} (modules: ${MODULES.join(', ')}, or all)`);
  return [...new Set(names)] as ModuleName[];
}

/** A memory size: "1073741824", "512M", "2G", "1.5GiB". */
export function parseMem(value: string | number): number {
  const bytes = parseMemSize(String(value));
  if (bytes === undefined) throw new ProfileError(`bad memory size '${value}' (bytes, or a number with K, M, G or T)`);
  return bytes;
}

/** CLOCK_REALTIME at the first instruction: seconds since 1970 (fractions allowed) or an ISO 8601 date. */
export function parseEpoch(value: string | number | Date): bigint {
  if (value instanceof Date) return BigInt(value.getTime()) * 1_000_000n;
  const text = String(value).trim();
  const m = /^(\d+)(?:\.(\d{1,9}))?$/.exec(text);
  if (m) return BigInt(m[1]) * NS_PER_SEC + BigInt((m[2] ?? '').padEnd(9, '0'));
  const ms = /^\d{4}-\d{2}-\d{2}/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms) || ms < 0) throw new ProfileError(`bad epoch '${value}' (seconds since 1970, or a date like 2024-01-01T00:00:00Z)`);
  return BigInt(ms) * 1_000_000n;
}

/** Read a profile file. */
export function loadProfile(path: string): KernelProfile {
  let doc: unknown;
  try {
    doc = parseYaml(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ProfileError(`cannot read profile ${path}: ${(e as Error).message}`);
  }
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) throw new ProfileError(`profile ${path}: expected a mapping (${PROFILE_KEYS.join(', ')})`);
  const raw = doc as Record<string, unknown>;
  const unknown = Object.keys(raw).filter((key) => !PROFILE_KEYS.includes(key));
  if (unknown.length) throw new ProfileError(`profile ${path}: unknown key${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${PROFILE_KEYS.join(', ')})`);
  const profile: KernelProfile = {};
  try {
    if (raw.modules !== undefined) profile.modules = parseModules(raw.modules as string | unknown[]);
    if (raw.mem !== undefined) profile.memBytes = parseMem(raw.mem as string | number);
    if (raw.epoch !== undefined) profile.epochNs = parseEpoch(raw.epoch as string | number | Date);
    if (raw.isa !== undefined) {
      if (typeof raw.isa !== 'string' || !isIsaName(raw.isa)) throw new ProfileError(`bad isa '${String(raw.isa)}' (${ISA_NAMES.join(' or ')})`);
      profile.isa = raw.isa;
    }
    if (raw.onUnsupported !== undefined) {
      const v = raw.onUnsupported as OnUnsupported;
      if (!ON_UNSUPPORTED.includes(v)) throw new ProfileError(`bad onUnsupported '${String(raw.onUnsupported)}' (${ON_UNSUPPORTED.join(' or ')})`);
      profile.onUnsupported = v;
    }
  } catch (e) {
    throw new ProfileError(`profile ${path}: ${(e as Error).message}`);
  }
  return profile;
}

/** The profile file (if any) overridden by the command-line options that were given. */
export function resolveProfile(opts: { profile?: string } & KernelProfile): KernelProfile {
  const base = opts.profile ? loadProfile(opts.profile) : {};
  return {
    modules: opts.modules ?? base.modules,
    memBytes: opts.memBytes ?? base.memBytes,
    epochNs: opts.epochNs ?? base.epochNs,
    isa: opts.isa ?? base.isa,
    onUnsupported: opts.onUnsupported ?? base.onUnsupported,
  };
}
