// Delivering signals on the way back to user mode, as Linux 6.1: get_signal() dequeues
// (a fault first, then the lowest-numbered pending signal, synchronous ones first; the
// thread's own queue before the process's), applies SIG_IGN and default actions
// (ignore, stop, terminate, core), and for a handler arch/riscv/kernel/signal.c's
// handle_signal() fixes up an interrupted syscall (EINTR or restart), builds the
// rt_sigframe (frame.ts) and enters the handler with a0 = signo, a1 = &info, a2 = &uc,
// sp = frame, ra = the sigreturn trampoline. Every deliverable signal is delivered before
// the thread runs again, each handler's frame on top of the previous one.

import type { CpuState } from '../../emulator/cpu/state.ts';
import { MemoryFault, type Memory } from '../../emulator/memory.ts';
import { ZerosysStop } from '../api.ts';
import { endProcess, killedBy } from '../process/exit-process.ts';
import { stopProcess } from '../process/job-control.ts';
import { E } from '../errno.ts';
import { NR } from '../syscall-numbers.ts';
import type { Thread } from '../sched/thread.ts';
import type { KernelState } from '../state.ts';
import { accessOk } from '../user-memory.ts';
import { FRAME_SIZE, FRAME_UC, writeFrame } from './frame.ts';
import { ERESTARTNOHAND, ERESTARTNOINTR, ERESTARTSYS, ERESTART_RESTARTBLOCK, restartCodeIn } from './restart.ts';
import { forceSignal, recalcSigpending, setBlocked } from './send.ts';
import { SigInfo } from './siginfo.ts';
import {
  SA_NODEFER,
  SA_ONSTACK,
  SA_RESETHAND,
  SA_RESTART,
  SIGALRM,
  SIGSEGV,
  SIG_DFL,
  SIG_IGN,
  SYNCHRONOUS,
  isKernelIgnore,
  isKernelStop,
  sigbit,
  signalName,
  type SigAction,
} from './signal-state.ts';
import { sigreturnTrampoline } from './trampoline.ts';
import { posixTimerDequeued } from '../time/posix-timers.ts';
import { rearmRealTimer } from '../time/timers.ts';
import { RA, SP, A0, A7 } from '../../emulator/cpu/registers.ts';
import { SS_AUTODISARM, SS_DISABLE, SS_ONSTACK } from '../abi.ts';
// SS_AUTODISARM is 0x80000000; every use here is bitwise, so int32 -2^31 and it agree.
export { SS_AUTODISARM, SS_DISABLE, SS_ONSTACK } from '../abi.ts';

/** on_sig_stack(): sp is inside the thread's alternate stack (never, with SS_AUTODISARM). */
export function onSigStack(t: Thread, sp: number): boolean {
  if (t.altstack.flags & SS_AUTODISARM) return false;
  return sp > t.altstack.sp && sp - t.altstack.sp <= t.altstack.size;
}

/** sas_ss_flags(). */
export function sasSsFlags(t: Thread, sp: number): number {
  if (!t.altstack.size) return SS_DISABLE;
  return onSigStack(t, sp) ? SS_ONSTACK : 0;
}

/** next_signal(): the lowest-numbered pending signal, synchronous ones first; 0 if none. */
function nextSignal(pending: bigint): number {
  let x = pending;
  if (x === 0n) return 0;
  if (x & SYNCHRONOUS) x &= SYNCHRONOUS;
  let sig = 1;
  while ((x & 1n) === 0n) {
    x >>= 1n;
    sig++;
  }
  return sig;
}

/**
 * dequeue_signal() with `blocked` as the mask: a fault first, then thread, then process queue.
 * Taking SIGALRM from the process queue restarts a periodic ITIMER_REAL, and taking a POSIX
 * timer's entry re-arms its timer (posixtimer_rearm); the caller gets a copy of a timer's entry.
 * The fault-first step is get_signal()'s dequeue_synchronous_signal(); `faultsFirst` false
 * leaves it out, as dequeue_signal() alone does (signalfd_dequeue()).
 */
export function dequeue(state: KernelState, t: Thread, blocked: bigint, faultsFirst = true): SigInfo | undefined {
  let info: SigInfo | undefined;
  if (faultsFirst && (t.pending.set & ~blocked & SYNCHRONOUS) !== 0n) {
    const fault = t.pending.queue.find((q) => q.code > 0 && (sigbit(q.signo) & SYNCHRONOUS & ~blocked) !== 0n);
    if (fault) info = t.pending.take(fault.signo);
  }
  if (!info) {
    const sig = nextSignal(t.pending.set & ~blocked);
    if (sig) info = t.pending.take(sig);
  }
  if (!info) {
    const sig = nextSignal(state.signals.shared.set & ~blocked);
    if (sig) info = state.signals.shared.take(sig);
    if (sig === SIGALRM) rearmRealTimer(state);
  }
  recalcSigpending(state, t);
  if (info?.timer) {
    const copy = info.copy();
    posixTimerDequeued(state, info.timer, copy);
    info = copy;
  }
  return info;
}

interface KSignal {
  sig: number;
  info: SigInfo;
  ka: SigAction;
}

/** get_signal(): the next signal with a handler to run; ends the guest for a fatal one. */
function getSignal(state: KernelState, t: Thread): KSignal | undefined {
  for (;;) {
    const info = dequeue(state, t, t.blocked);
    if (!info) return undefined;
    state.signals.onTaken?.(t.tid, info);
    const sig = info.signo;
    const act = state.signals.actions[sig];
    if (act.handler === SIG_IGN) continue;
    if (act.handler !== SIG_DFL) {
      const ka = { ...act };
      if (act.flags & SA_RESETHAND) act.handler = SIG_DFL;
      return { sig, info, ka };
    }
    if (isKernelIgnore(sig)) continue;
    if (isKernelStop(sig)) stopProcess(state, sig, signalName(sig));
    endProcess(state, killedBy(sig), info.detail ?? signalName(sig));
    return undefined; // another process's signal (endProcess throws for the running one)
  }
}

/** Whether the thread must go through do_signal() before it runs user code again. */
export function needsSignalWork(cpu: CpuState, t: Thread, fromSyscall: boolean): boolean {
  return t.sigpending || t.savedMask !== undefined || (fromSyscall && restartCodeIn(cpu.x[2 * A0], cpu.x[2 * A0 + 1]) !== 0);
}

/** do_signal() for the current thread `t`, whose registers are in `cpu`. */
export function doSignal(state: KernelState, cpu: CpuState, mem: Memory, t: Thread, fromSyscall: boolean): void {
  let inSyscall = fromSyscall;
  for (;;) {
    const ks = getSignal(state, t);
    if (!ks) break;
    if (inSyscall) {
      restartWithHandler(cpu, t, ks.ka);
      inSyscall = false;
    }
    if (!setupFrame(state, cpu, mem, t, ks)) {
      // signal_setup_done() failure: force_sigsegv()
      forceSignal(state, t, SigInfo.kernel(SIGSEGV), ks.sig === SIGSEGV);
      continue;
    }
    let blocked = t.blocked | ks.ka.mask;
    if (!(ks.ka.flags & SA_NODEFER)) blocked |= sigbit(ks.sig);
    t.savedMask = undefined;
    setBlocked(state, t, blocked);
    if (t.altstack.flags & SS_AUTODISARM) t.altstack = { sp: 0, size: 0, flags: 0 };
  }
  if (inSyscall) restartWithoutHandler(cpu, t);
  if (t.savedMask !== undefined) {
    const saved = t.savedMask;
    t.savedMask = undefined;
    setBlocked(state, t, saved);
  }
}

function restartSyscall(cpu: CpuState, t: Thread): void {
  cpu.x[2 * A0] = t.origA0[0];
  cpu.x[2 * A0 + 1] = t.origA0[1];
  cpu.pc -= 4;
}

/** handle_signal(): an interrupted syscall before a handler runs. */
function restartWithHandler(cpu: CpuState, t: Thread, ka: SigAction): void {
  switch (restartCodeIn(cpu.x[2 * A0], cpu.x[2 * A0 + 1])) {
    case ERESTART_RESTARTBLOCK:
    case ERESTARTNOHAND:
      cpu.setNum(A0, -E.EINTR);
      break;
    case ERESTARTSYS:
      if (!(ka.flags & SA_RESTART)) {
        cpu.setNum(A0, -E.EINTR);
        break;
      }
      restartSyscall(cpu, t);
      break;
    case ERESTARTNOINTR:
      restartSyscall(cpu, t);
      break;
  }
}

/** do_signal() without a handler: the syscall restarts transparently. */
function restartWithoutHandler(cpu: CpuState, t: Thread): void {
  switch (restartCodeIn(cpu.x[2 * A0], cpu.x[2 * A0 + 1])) {
    case ERESTARTNOHAND:
    case ERESTARTSYS:
    case ERESTARTNOINTR:
      restartSyscall(cpu, t);
      break;
    case ERESTART_RESTARTBLOCK:
      restartSyscall(cpu, t);
      cpu.setNum(A7, NR.restart_syscall);
      break;
  }
}

/** setup_rt_frame(); false where Linux returns -EFAULT. */
function setupFrame(state: KernelState, cpu: CpuState, mem: Memory, t: Thread, ks: KSignal): boolean {
  const sp = cpu.getU(SP);
  // get_sigframe(): never overflow the alternate stack; switch to it for SA_ONSTACK.
  if (onSigStack(t, sp) && !onSigStack(t, sp - FRAME_SIZE)) return false;
  const base = ks.ka.flags & SA_ONSTACK && sasSsFlags(t, sp) === 0 ? t.altstack.sp + t.altstack.size : sp;
  const frame = Math.floor((base - FRAME_SIZE) / 16) * 16;
  if (frame < 0 || !accessOk(frame, FRAME_SIZE)) return false;
  const trampoline = sigreturnTrampoline(mem, state.signals);
  if (!trampoline) return false;
  try {
    writeFrame(mem, frame, cpu, ks.info, t.savedMask ?? t.blocked, t.altstack);
  } catch (e) {
    if (e instanceof MemoryFault) return false;
    throw e;
  }
  cpu.setNum(RA, trampoline);
  cpu.pc = Number(ks.ka.handler);
  cpu.setNum(SP, frame);
  cpu.setNum(A0, ks.sig);
  cpu.setNum(A0 + 1, frame);
  cpu.setNum(A0 + 2, frame + FRAME_UC);
  return true;
}
