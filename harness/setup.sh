#!/usr/bin/env bash
# One-time setup on Debian (run as root): the riscv64 cross toolchain, qemu-riscv64 (the
# reference), Go, Rust, GNU time (for the benchmark) and the npm dependencies. Packages already
# installed are not fetched again, so re-running is cheap.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  qemu-user
  qemu-user-binfmt # the binfmt_misc entry that lets a guest under qemu-riscv64 exec riscv64 programs
  gcc-riscv64-linux-gnu
  g++-riscv64-linux-gnu
  binutils-riscv64-linux-gnu
  linux-libc-dev-riscv64-cross
  libc6-dev-riscv64-cross
  golang-go
  time # GNU time: the peak RSS of each run in `npm run bench`
  gcc # host C compiler: the LD_PRELOAD library that makes qemu -strace print thread ids (harness/conformance/strace-tid.ts)
  # Rust corpus programs (harness/rust.ts): Debian's rustc and cargo build a riscv64 std from
  # rust-src, with the crates std needs from Debian's registry (no network)
  rustc
  cargo
  rust-src
  librust-compiler-builtins-dev
  librust-libc-dev
  librust-hashbrown-dev
  librust-cfg-if-0.1-dev
  librust-cfg-if-dev
  librust-rustc-demangle-dev
  librust-getopts-dev
  librust-unicode-width-dev
  librust-rustc-std-workspace-core-dev
  librust-rustc-std-workspace-std-dev
  librust-cc-dev
)

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

missing=()
for pkg in "${PACKAGES[@]}"; do installed "$pkg" || missing+=("$pkg"); done
# Node 20+ is needed (commander 14, execa 9); Debian's own nodejs may be older.
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)

if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y "${missing[@]}"
else
  echo "setup: all Debian packages already installed"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if ((node_major < 20)); then
  echo "setup: node $(node --version) is too old; zerosys needs Node 20 or newer" >&2
  exit 1
fi

# A guest's execve of a riscv64 program: qemu-user passes it to the host kernel, which runs it
# only through a binfmt_misc entry that starts qemu again (harness/qemu.ts qemuExecStatus).
# systemd registers qemu-user-binfmt's entries at boot; a container has no systemd, so register
# it here where the machine allows (root, binfmt_misc). Where it cannot be, the programs that
# exec are reported as skipped with the reason.
BINFMT=/proc/sys/fs/binfmt_misc
if [ -e "$BINFMT/qemu-riscv64" ]; then
  echo "setup: binfmt_misc already runs riscv64 programs with $(sed -n 's/^interpreter //p' "$BINFMT/qemu-riscv64")"
else
  [ -e "$BINFMT/register" ] || mount -t binfmt_misc binfmt_misc "$BINFMT" 2>/dev/null || true
  if [ -w "$BINFMT/register" ] && [ -f /usr/lib/binfmt.d/qemu-riscv64.conf ] && cat /usr/lib/binfmt.d/qemu-riscv64.conf > "$BINFMT/register" 2>/dev/null; then
    echo "setup: registered qemu-riscv64 with binfmt_misc (/usr/lib/binfmt.d/qemu-riscv64.conf)"
  else
    echo "setup: cannot register qemu-riscv64 with binfmt_misc here: corpus programs that exec will be skipped" >&2
  fi
fi

npm ci
