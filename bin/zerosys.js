#!/usr/bin/env -S node --v8-pool-size=1 --max-semi-space-size=4 --optimize-for-size
// (--v8-pool-size=1: one V8 background thread, so tiering up compiled code does not take
// the guest's core on a small machine; --max-semi-space-size=4 and --optimize-for-size: a
// smaller V8 heap at no measured cost; harness/qemu.ts, ZEROSYS_NODE_OPTIONS, says why.)
// Launcher. The CLI is TypeScript. Loading it module by module through tsx's ESM hooks costs
// about half a second per start (a loader worker and one transform per module), which is more
// than a short guest runs, and the harness starts zerosys once per program. So the sources are
// bundled once with esbuild into dist/, named by a hash of their contents, and imported
// directly: an edit gives a new bundle, never a stale one. Without esbuild, tsx loads the
// sources as before.

import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ENTRY = join(ROOT, 'harness', 'cli.ts');
const SOURCE_DIRS = ['emulator', 'kernel', 'harness'];
// dist/ sits one level below the root, like harness/, so paths the modules derive from
// import.meta.url (the repository root, bin/zerosys.js) stay the same in the bundle.
const DIST = join(ROOT, 'dist');

/** Every non-test TypeScript source, in a fixed order, then the lockfile and this launcher (bundled code depends on them). */
function sourceFiles() {
  const files = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'testdata' && entry.name !== 'node_modules') walk(path);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) files.push(path);
    }
  };
  for (const dir of SOURCE_DIRS) walk(join(ROOT, dir));
  for (const file of ['package-lock.json', 'bin/zerosys.js']) if (existsSync(join(ROOT, file))) files.push(join(ROOT, file));
  return files;
}

/** Hash of the sources' contents: the bundle's name. */
async function fingerprint(files) {
  const { createHash } = await import('node:crypto'); // loaded only when needed: it costs ~2 ms
  const hash = createHash('sha256');
  for (const path of files) hash.update(path.slice(ROOT.length)).update('\0').update(readFileSync(path)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/**
 * The bundle's name without reading every source on every start (hashing them costs ~8 ms,
 * as much as a short guest runs): the name is kept with the sources' size, mtime, ctime and
 * inode, and reused while those are unchanged. A write to a file changes its ctime, which
 * nothing in user space can set back, so an edit always gives a new hash.
 */
async function bundleName() {
  const files = sourceFiles();
  const key = files.map((path) => {
    const st = statSync(path, { bigint: true });
    return `${path}\0${st.size}\0${st.mtimeNs}\0${st.ctimeNs}\0${st.ino}`;
  }).join('\n');
  const keyFile = join(DIST, '.sources-key');
  try {
    const kept = readFileSync(keyFile, 'utf8');
    const cut = kept.lastIndexOf('\n\n');
    if (kept.slice(0, cut) === key) return kept.slice(cut + 2);
  } catch {
    // none yet
  }
  const name = `zerosys-${await fingerprint(files)}`;
  try {
    mkdirSync(DIST, { recursive: true });
    const temp = `${keyFile}.${process.pid}`;
    writeFileSync(temp, `${key}\n\n${name}`);
    renameSync(temp, keyFile);
  } catch {
    // a read-only checkout: hash every time
  }
  return name;
}

async function bundle() {
  if (process.env.ZEROSYS_NO_BUNDLE) return undefined;
  const name = await bundleName();
  const out = join(DIST, `${name}.mjs`);
  if (existsSync(out)) return out;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return undefined;
  }
  // Several processes may start at once: each builds into a folder of its own, then moves
  // the chunks into dist/ and the entry last, so an entry that exists has all its chunks.
  const temp = join(DIST, `.${name}.${process.pid}.tmp`);
  try {
    mkdirSync(DIST, { recursive: true }); // a read-only checkout falls back to tsx below
    esbuild.buildSync({
      entryPoints: { [name]: ENTRY },
      outdir: temp,
      // Code splitting: what only some commands need (the conformance harness, execa, the
      // corpus builder) sits in chunks loaded by their dynamic import, so `run` parses less.
      splitting: true,
      chunkNames: `${name}-chunk-[hash]`,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Packages are bundled too: an ESM import is loaded at start even when only a lazily
      // used module needs it (execa, yaml), and resolving them costs more than parsing.
      sourcemap: 'linked',
      // Bundled CommonJS packages (commander) call require() for Node's built-ins.
      banner: { js: "import { createRequire as __zerosysRequire } from 'node:module'; const require = __zerosysRequire(import.meta.url);" },
      logLevel: 'silent',
    });
    const files = readdirSync(temp).sort((a, b) => (a.startsWith(`${name}.mjs`) ? 1 : 0) - (b.startsWith(`${name}.mjs`) ? 1 : 0) || (a < b ? -1 : 1));
    for (const f of files) renameSync(join(temp, f), join(DIST, f));
  } catch {
    return undefined; // tsx reports the error with its own message
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  // Older bundles go once they are an hour old: a process started on one (a conformance run
  // while its sources are edited) still imports its lazily loaded chunks from there.
  const stale = Date.now() - 3600_000;
  for (const old of readdirSync(DIST)) {
    const path = join(DIST, old);
    if (old.startsWith('zerosys-') && !old.startsWith(name) && statSync(path, { throwIfNoEntry: false })?.mtimeMs < stale) rmSync(path, { force: true });
  }
  return out;
}

const bundled = await bundle();
if (bundled) {
  // Host stack traces naming the TypeScript sources cost ~20 ms per start: on request only.
  if (process.env.ZEROSYS_SOURCE_MAPS) process.setSourceMapsEnabled(true);
  await import(pathToFileURL(bundled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../harness/cli.ts');
}
