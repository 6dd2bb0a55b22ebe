// Linux's internal "restart" return codes (include/linux/errno.h). A syscall interrupted
// by a signal returns one of them; they never reach user space: on the way out, signal
// delivery (deliver.ts, as arch/riscv/kernel/signal.c handle_signal/do_signal) turns them
// into EINTR, or restarts the call by moving pc back to the ecall with a0 = orig_a0.
//
//   ERESTARTSYS            restart if the handler has SA_RESTART (or there is no handler), else EINTR
//   ERESTARTNOINTR         always restart
//   ERESTARTNOHAND         EINTR if a handler runs, else restart
//   ERESTART_RESTARTBLOCK  EINTR if a handler runs, else restart through restart_syscall(2)

export const ERESTARTSYS = 512;
export const ERESTARTNOINTR = 513;
export const ERESTARTNOHAND = 514;
export const ERESTART_RESTARTBLOCK = 516;

/** a0 (as its two 32-bit halves) holds -ERESTART*. */
export function restartCodeIn(lo: number, hi: number): number {
  if (hi !== -1) return 0;
  const e = -lo;
  return e === ERESTARTSYS || e === ERESTARTNOINTR || e === ERESTARTNOHAND || e === ERESTART_RESTARTBLOCK ? e : 0;
}
