// The one Linux zerosys implements, for every answer it gives: 6.1, the long-term series as
// its stable updates keep it (6.1.y, the kernel of Debian 12), so stable backports count —
// e.g. O_CREAT|O_DIRECTORY is EINVAL since 6.1.30 (backport 7bf4f2481661 of 43b450632676).
// The UAPI headers the syscall numbers come from are 6.1.4 (syscall-numbers.ts); calls
// added later (riscv_hwprobe, 6.4) answer ENOSYS as 6.1 does.

export const LINUX_VERSION = {
  /** The series: what "follows Linux" means throughout the kernel's comments and the README. */
  series: '6.1',
  /** uname's release: the series' ABI name, as Debian names its 6.1 kernels (6.1.0-N-riscv64). */
  release: '6.1.0',
  /** One line for humans (`zerosys syscalls`, the README). */
  describe: 'Linux 6.1 LTS (6.1.y with its stable backports, as in Debian 12)',
} as const;
