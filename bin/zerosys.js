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
//
// This file is CommonJS (bin/package.json says so), as is the bundle: Node 20 starts an ES
// module entry 11 ms later than a CommonJS one, and caches compiled code only for the latter.

'use strict';

const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, existsSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join, resolve } = require('node:path');

const ROOT = resolve(__dirname, '..');
const ENTRY = join(ROOT, 'harness', 'cli.ts');
const SOURCE_DIRS = ['emulator', 'kernel', 'harness'];
// dist/ sits one level below the root, like harness/, so paths the modules derive from
// their import.meta.url (the repository root, bin/zerosys.js) stay the same in the bundle.
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
function fingerprint(files) {
  const { createHash } = require('node:crypto'); // loaded only when needed: it costs ~2 ms
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
function bundleName() {
  const files = sourceFiles();
  const key = files.map((path) => {
    // Milliseconds as doubles (to the microsecond): a BigInt stat of every source costs 3 ms.
    const st = statSync(path);
    return `${path}\0${st.size}\0${st.mtimeMs}\0${st.ctimeMs}\0${st.ino}`;
  }).join('\n');
  const keyFile = join(DIST, '.sources-key');
  try {
    const kept = readFileSync(keyFile, 'utf8');
    const cut = kept.lastIndexOf('\n\n');
    if (kept.slice(0, cut) === key) return kept.slice(cut + 2);
  } catch {
    // none yet
  }
  const name = `zerosys-${fingerprint(files)}`;
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

function bundle() {
  if (process.env.ZEROSYS_NO_BUNDLE) return undefined;
  const name = bundleName();
  const out = join(DIST, `${name}.cjs`);
  if (existsSync(out)) return out;
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    return undefined;
  }
  // Several processes may start at once: each builds into a file of its own, then renames it
  // into place, so a bundle that exists is whole.
  const temp = join(DIST, `.${name}.${process.pid}.tmp`);
  try {
    mkdirSync(DIST, { recursive: true }); // a read-only checkout falls back to tsx below
    esbuild.buildSync({
      entryPoints: [ENTRY],
      outfile: join(temp, `${name}.cjs`),
      bundle: true,
      platform: 'node',
      // CommonJS, one file: V8 can cache the compiled code of a classic script (below) but
      // not of an ES module under Node 20. Packages are bundled too (resolving them costs
      // more than parsing), and the modules of other commands (the conformance harness,
      // execa, the corpus builder), which esbuild initialises only when their dynamic
      // import runs, so `run` executes no more than before.
      format: 'cjs',
      target: 'node20',
      // The sources find the repository from import.meta.url: the bundle sits in dist/, one
      // level below the root like harness/, so the paths they derive stay the same.
      define: { 'import.meta.url': '__zerosysModuleUrl' },
      banner: { js: "const __zerosysModuleUrl = require('node:url').pathToFileURL(__filename).href;" },
      sourcemap: 'linked',
      logLevel: 'silent',
    });
    renameSync(join(temp, `${name}.cjs.map`), join(DIST, `${name}.cjs.map`));
    renameSync(join(temp, `${name}.cjs`), out);
  } catch {
    return undefined; // tsx reports the error with its own message
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
  // Older bundles go once they are an hour old: a process started on one (a conformance run
  // while its sources are edited) may still be reading it.
  const stale = Date.now() - 3600_000;
  for (const old of readdirSync(DIST)) {
    const path = join(DIST, old);
    if (old.startsWith('zerosys-') && !old.startsWith(name) && statSync(path, { throwIfNoEntry: false })?.mtimeMs < stale) rmSync(path, { force: true });
  }
  return out;
}

/**
 * Run the bundle as Node runs a CommonJS module, through V8's code cache: parsing and
 * compiling the bundle cost about 30 ms of a 130 ms start (a static hello world), more than
 * the guest runs. The cache (dist/NAME.cjs.FLAGS.v8cache) holds the code V8 compiled by the end
 * of a `zerosys run`, so the next run starts with the run path compiled. V8 rejects a cache
 * made by another V8 or with other flags; it is then made again. Code only: nothing in it
 * reaches the guest.
 */
function runBundle(file) {
  const vm = require('node:vm');
  const { createRequire } = require('node:module');
  // V8 rejects a cache made under other flags: one cache per set of node options, so runs
  // with and without the shebang's options (tests, the harness) do not replace each other's.
  let h = 0x811c9dc5;
  for (const ch of process.execArgv.join(' ')) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
  const cacheFile = `${file}.${(h >>> 0).toString(16)}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // none yet
  }
  // Read as latin1, which costs a quarter of utf8's decoding: esbuild writes every string and
  // regular expression in ASCII (its default charset), so only comments could differ.
  const wrapper = `(function (exports, require, module, __filename, __dirname) {${readFileSync(file, 'latin1')}\n})`;
  const script = new vm.Script(wrapper, { filename: file, cachedData });
  if ((cachedData === undefined || script.cachedDataRejected) && process.argv[2] === 'run') {
    // At exit, when the run path has been compiled (`run` may end in process.exit).
    process.on('exit', () => {
      try {
        const temp = `${cacheFile}.${process.pid}`;
        writeFileSync(temp, script.createCachedData());
        renameSync(temp, cacheFile);
      } catch {
        // a read-only checkout: no cache
      }
    });
  }
  const module = { exports: {} };
  script.runInThisContext()(module.exports, createRequire(file), module, file, dirname(file));
}

const bundled = bundle();
if (bundled && process.env.ZEROSYS_SOURCE_MAPS) {
  // Host stack traces naming the TypeScript sources cost ~20 ms per start: on request only.
  process.setSourceMapsEnabled(true);
  require(bundled);
} else if (bundled) {
  runBundle(bundled);
} else {
  (async () => {
    const { register } = await import('tsx/esm/api');
    register();
    await import('../harness/cli.ts');
  })();
}
