// Who the guest is. Fixed values — the host's pid, uid and hostname never reach the guest.
//
// uid/gid 0: the reference runs (qemu-riscv64 on the build machine) are root too, so
// permission-dependent behaviour matches; root also passes the capability checks Linux
// makes for raising hard limits and mapping low addresses.

/** Process id; the only thread's tid equals it, as for any main thread. */
export const PID = 1000;
/** Parent: the (imaginary) shell that started the guest. */
export const PPID = 999;
export const UID = 0;
export const GID = 0;
