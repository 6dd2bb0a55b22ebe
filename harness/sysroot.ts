// Where Debian's riscv64 glibc lives (libc6-riscv64-cross): the default --sysroot of
// `zerosys run` and the libraries the corpus's dynamic builds (NAME-dyn) link and run against.
export const DEFAULT_SYSROOT = '/usr/riscv64-linux-gnu';
