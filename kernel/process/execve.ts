// execve(2) and execveat(2) (fs/exec.c do_execveat_common, Linux 6.1), for static riscv64
// ELF programs in the guest's file namespace. In Linux's order: the path (EFAULT,
// ENAMETOOLONG, "" ENOENT unless AT_EMPTY_PATH), argv and envp (EFAULT; E2BIG past
// MAX_ARG_STRINGS), the file (do_open_execat: the walk's errors, EACCES for anything but a
// regular file or without execute permission, then ETXTBSY while any process has it open for
// writing: deny_write_access()), then the binary handlers (exec_binprm): a "#!"
// script names its interpreter (fs/binfmt_script.c, parseScriptLine below), which is opened
// in the caller's namespace as the file was (open_exec: ENOENT, EACCES, ...) and handled in
// turn, at most 5 rewrites deep (ELOOP at depth 6); a file no handler takes is ENOEXEC, a
// dynamically linked ELF loads its PT_INTERP from the caller's namespace (its errors, ELIBBAD
// for a bad one). AT_EXECFN and the thread name stay the script's (bprm->filename), as
// /proc/self/exe becomes the interpreter that runs (bprm->file). Up to
// here the caller is untouched; past the point of no return (the new image is loaded) the
// process gets a new machine: other threads end, close-on-exec descriptors close, caught
// signals go back to SIG_DFL (ignored ones stay ignored, masks and pending signals stay),
// the new file is shut to writers while the process runs it (ETXTBSY for openat with write
// access, O_TRUNC and truncate: set_mm_exe_file(), until the exit or the next exec),
// the sigaltstack, POSIX timers (exit_itimers) and the signals they queued
// (flush_itimer_signals: SI_TIMER entries) and mlocks go, a vfork parent is released, and
// the thread name becomes the file's base name. What lives in the signal_struct, which exec
// keeps, stays: the interval timers (ITIMER_REAL, so alarm(), ITIMER_VIRTUAL, ITIMER_PROF,
// armed as they were: man 2 execve), the process's CPU time (on which the CPU itimers and
// RLIMIT_CPU count), the resource limits, and the next POSIX timer id. The run loop
// switches to the new machine when the call returns (sched/runtime.ts completeExec).
//
// Not supported: set-user-ID and set-group-ID programs (they run
// with the caller's credentials, as under a nosuid mount), and execveat's AT_EMPTY_PATH on
// an O_PATH descriptor.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { SyscallErrno, fail } from '../errors.ts';
import { ElfError } from '../../emulator/loader/errors.ts';
import { PAGE_SIZE, StringTooLong } from '../../emulator/memory.ts';

/** linux/binfmts.h MAX_ARG_STRLEN (PAGE_SIZE * 32): the longest argument or environment string, its NUL included. */
const MAX_ARG_STRLEN = PAGE_SIZE * 32;
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW, MAX_ARG_STRINGS } from '../abi.ts';
import { SIG_IGN } from '../signal/signal-state.ts';
import { boot } from '../boot.ts';
import { MmState } from '../memory/mm-state.ts';
import { ProgramBreak } from '../memory/program-break.ts';
import { ThreadState } from '../sched/thread.ts';
import { installVfsHooks } from '../sched/runtime.ts';
import { SignalState } from '../signal/signal-state.ts';
import type { KernelState } from '../state.ts';
import { processCpuTime } from '../time/timers.ts';
import { deleteTimer } from '../time/posix-timers.ts';
import type { SigInfo } from '../signal/siginfo.ts';
import { SI_TIMER } from '../abi.ts';
import { latin1Bytes, readPath } from '../user-memory.ts';
import { startOf } from '../vfs/fd-util.ts';
import type { Loc } from '../vfs/namespace.ts';
import { credsOf, inodePermission, MAY_EXEC, must, walkAs } from '../vfs/permission.ts';
import { VfsState } from '../vfs/vfs-state.ts';
import { COMM_MAX } from './process-state.ts';
import type { ProcessMachine } from './process-table.ts';

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];

export function execve(k: SyscallContext): number {
  // (const char __user *filename, const char __user *const __user *argv, const char __user *const __user *envp)
  return doExecve(k, AT_FDCWD, 0, 1, 2, 0);
}

export function execveat(k: SyscallContext): number {
  // (int fd, const char __user *filename, argv, envp, int flags); the flags are checked
  // only when the file is opened (do_open_execat), after the strings.
  return doExecve(k, k.i32(0), 1, 2, 3, k.i32(4));
}

function doExecve(k: SyscallContext, dirfd: number, pathArg: number, argvArg: number, envpArg: number, flags: number): number {
  const path = readPath(k.mem, k.addr(pathArg)); // getname_flags(): EFAULT, ENAMETOOLONG
  if (path === '' && !(flags & AT_EMPTY_PATH)) return -E.ENOENT;
  const argv = readStrings(k, k.addr(argvArg));
  const envp = readStrings(k, k.addr(envpArg));
  // Since 5.18 an empty argv gets "" as argv[0] (do_execveat_common: bprm->argc == 0).
  if (argv.length === 0) argv.push(new Uint8Array(0));
  let loc = openExec(k, dirfd, path, flags);
  let bytes = readWhole(loc);
  // alloc_bprm(): bprm->filename (AT_EXECFN, the script name a "#!" line passes on) is the
  // path itself, or /dev/fd/N/path relative to a descriptor; a name derived from a
  // close-on-exec descriptor will be inaccessible after the exec (BINPRM_FLAGS_PATH_INACCESSIBLE).
  const relativeToFd = dirfd !== AT_FDCWD && !path.startsWith('/');
  const execPath = !relativeToFd ? path : path === '' ? `/dev/fd/${dirfd}` : `/dev/fd/${dirfd}/${path}`;
  const pathInaccessible = relativeToFd && k.state.fds.getCloexec(dirfd);
  // exec_binprm(): search_binary_handler() until no handler leaves an interpreter to run,
  // "4 levels of binfmt rewrites" (depth 0 to 5) before ELOOP.
  let interp = execPath; // bprm->interp
  for (let depth = 0; ; depth++) {
    if (depth > 5) return -E.ELOOP;
    if (!(bytes[0] === 0x23 && bytes[1] === 0x21)) break; // binfmt_script: "#!" or not ours
    const line = parseScriptLine(bytes);
    if (typeof line === 'number') return -line;
    if (pathInaccessible) return -E.ENOENT;
    // remove_arg_zero(), then interp, the optional argument and the interpreter's name in front.
    argv.splice(0, 1, ...[line.name, ...(line.arg !== undefined ? [line.arg] : []), interp].map(latin1Bytes));
    interp = line.name; // bprm_change_interp()
    loc = openExec(k, AT_FDCWD, line.name, 0); // open_exec(i_name)
    bytes = readWhole(loc);
  }
  // binfmt_elf for ELF; nothing else takes it.
  if (!ELF_MAGIC.every((b, i) => bytes[i] === b)) return -E.ENOEXEC;

  const procs = k.state.procs;
  if (!procs.newMachine) k.unsupported('execve without a machine factory');
  const machine = procs.newMachine();
  let image;
  let interpErrno: number | undefined;
  // load_elf_binary(): the PT_INTERP file is opened in the caller's namespace (open_exec).
  const readInterpreter = (p: string): Uint8Array => {
    try {
      const interp = openExec(k, AT_FDCWD, p, 0);
      return readWhole(interp);
    } catch (e) {
      if (e instanceof SyscallErrno) interpErrno = e.errno;
      throw new ElfError(`interpreter ${p}: cannot open it`);
    }
  };
  try {
    image = boot(machine, bytes, { argv, envp, execPath, exeLink: loc.path(), random16: k.state.random.bytes(16), readInterpreter });
  } catch (e) {
    machine.dispose?.();
    if (!(e instanceof ElfError)) throw e;
    if (interpErrno !== undefined) return -interpErrno;
    if (/^interpreter /.test(e.message)) return -E.ELIBBAD; // an interpreter binfmt_elf cannot load
    if (/E2BIG/.test(e.message)) return -E.E2BIG;
    return -E.ENOEXEC; // binfmt_elf refuses it: another machine, a bad header
  }
  // The point of no return (begin_new_exec).
  const proc = procs.byPid(k.state.pid)!;
  const state = execState(k.state, machine, image, loc, baseName(path || loc.path()));
  proc.pendingExec = { state, machine };
  proc.image = image;
  return 0;
}

/** linux/binfmts.h BINPRM_BUF_SIZE: the bytes of the file a binary handler looks at. */
const BINPRM_BUF_SIZE = 256;

const spacetab = (c: number): boolean => c === 0x20 || c === 0x09;

/**
 * fs/binfmt_script.c load_script() (Linux 6.1): the interpreter name and optional argument of
 * a "#!" line, as latin1 strings of its bytes, or ENOEXEC. Only the first BINPRM_BUF_SIZE
 * bytes count (NUL-padded). Without a newline in them, the name must end (space, tab or NUL)
 * within them (a truncated name is ENOEXEC; a truncated argument is fine); trailing spaces
 * and tabs are dropped; the name ends at the first space, tab or NUL, and the argument is the
 * rest of the line after the spaces and tabs that follow it, up to a NUL. A name that is
 * empty because a NUL follows "#!" is not refused here: opening "" then fails (EACCES:
 * the walk of "" ends at the working directory).
 */
export function parseScriptLine(file: Uint8Array): { name: string; arg?: string } | number {
  const buf = new Uint8Array(BINPRM_BUF_SIZE);
  buf.set(file.subarray(0, BINPRM_BUF_SIZE));
  const bufEnd = BINPRM_BUF_SIZE - 1;
  const nextNonSpacetab = (first: number, last: number): number => {
    for (; first <= last; first++) if (!spacetab(buf[first])) return first;
    return -1;
  };
  const nextTerminator = (first: number, last: number): number => {
    for (; first <= last; first++) if (spacetab(buf[first]) || buf[first] === 0) return first;
    return -1;
  };
  let iEnd = buf.indexOf(0x0a);
  if (iEnd < 0) {
    iEnd = nextNonSpacetab(2, bufEnd);
    if (iEnd < 0) return E.ENOEXEC; // the entire buffer is spaces and tabs
    if (nextTerminator(iEnd, bufEnd) < 0) return E.ENOEXEC; // the name may be truncated
    iEnd = bufEnd;
  }
  while (spacetab(buf[iEnd - 1])) iEnd--;
  const iName = nextNonSpacetab(2, iEnd);
  if (iName < 0 || iName === iEnd) return E.ENOEXEC; // no interpreter name
  const iSep = nextTerminator(iName, iEnd);
  const iArg = iSep >= 0 && buf[iSep] !== 0 ? nextNonSpacetab(iSep, iEnd) : -1;
  // The strings end at i_end (NUL-ed), the name at i_sep, each at a NUL before that.
  const cString = (from: number, to: number): string => {
    const nul = buf.subarray(from, to).indexOf(0);
    return Buffer.from(buf.subarray(from, nul < 0 ? to : from + nul)).toString('latin1');
  };
  const name = cString(iName, iArg >= 0 ? iSep : iEnd);
  return iArg >= 0 ? { name, arg: cString(iArg, iEnd) } : { name };
}

/** get_user_arg_ptr() / count(): a NULL-terminated array of string pointers, each string's bytes. */
function readStrings(k: SyscallContext, addr: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  if (addr === 0) return out; // Linux 6.1 treats a NULL argv or envp as empty (with a warning)
  for (let i = 0; ; i++) {
    if (i >= MAX_ARG_STRINGS) fail('E2BIG');
    const p = k.mem.readBig64(addr + 8 * i);
    if (p === 0n) return out;
    if (p >= 1n << 53n) fail('EFAULT');
    try {
      out.push(k.mem.readCString(Number(p), MAX_ARG_STRLEN));
    } catch (e) {
      // copy_strings(): a string with no NUL within MAX_ARG_STRLEN is E2BIG (strnlen_user).
      if (e instanceof StringTooLong) fail('E2BIG');
      throw e;
    }
  }
}

/**
 * do_open_execat(): the walk, then S_ISREG and MAY_EXEC (EACCES, may_open()), then
 * deny_write_access(): ETXTBSY while any description has the file open for writing. The
 * denial lasts only as long as the call (nothing else runs meanwhile); the process holds it
 * from the point of no return on (VfsState.setExe, set_mm_exe_file()).
 */
function openExec(k: SyscallContext, dirfd: number, path: string, flags: number): Loc {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) fail('EINVAL');
  const vfs = k.state.vfs;
  const creds = credsOf(k);
  // open_exec("") of a "#!\0" line: getname_kernel() takes "", whose walk ends at the start
  // (the working directory), which may_open() refuses to exec (EACCES).
  if (path === '' && !(flags & AT_EMPTY_PATH)) fail('EACCES');
  if (path === '') k.unsupported('execveat(AT_EMPTY_PATH) of a descriptor');
  const loc = vfs.ns.resolve(startOf(k, dirfd, path), path, !(flags & AT_SYMLINK_NOFOLLOW), walkAs(creds));
  if (loc.node.type === 'lnk') fail('ELOOP');
  if (loc.node.type !== 'reg') fail('EACCES');
  must(inodePermission(creds, loc.node, MAY_EXEC));
  loc.node.denyWriteAccess();
  loc.node.allowWriteAccess(); // exec_binprm() / free_bprm(): allow_write_access() at the end
  return loc;
}

function readWhole(loc: Loc): Uint8Array {
  const data = loc.node.openData(0);
  try {
    return data.readAt(0, data.size());
  } finally {
    data.close();
  }
}

const baseName = (p: string): string => p.split('/').filter(Boolean).pop() ?? p;

/** The process's kernel state after the exec: what stays, what is reset (see the header). */
function execState(old: KernelState, machine: ProcessMachine, image: ReturnType<typeof boot>, exe: Loc, name: string): KernelState {
  const caller = old.thread.current;
  // Other threads end (de_thread); the caller becomes the leader, with the process's id.
  for (const t of old.thread.threads) {
    if (t !== caller && t.state !== 'exited') {
      t.wait?.cancel();
      t.state = 'exited';
    }
  }
  const thread = new ThreadState(old.pid, () => old.procs.allocId());
  thread.reapedInsns = Number(processCpuTime(old)); // the process's CPU time goes on across the exec
  const leader = thread.leader;
  leader.blocked = caller.blocked;
  // begin_new_exec(): exit_itimers() deletes the POSIX timers (a periodic one's queued
  // signal then re-arms nothing), flush_itimer_signals() drops the signals they queued; the
  // interval timers stay armed in the signal_struct (ProcessTimers, kept).
  for (const t of [...old.timers.posix.values()]) deleteTimer(old, t);
  const notTimer = (info: SigInfo) => info.code !== SI_TIMER;
  for (const info of caller.pending.queue) if (notTimer(info)) leader.pending.add(info);
  leader.sigpending = caller.sigpending;
  leader.nice = caller.nice;

  const signals = new SignalState();
  // flush_signal_handlers(t, 0): caught signals to SIG_DFL, flags and masks cleared.
  old.signals.actions.forEach((a, i) => (signals.actions[i] = { handler: a.handler === SIG_IGN ? SIG_IGN : 0n, flags: 0n, mask: 0n }));
  for (const info of old.signals.shared.queue) if (notTimer(info)) signals.shared.add(info);
  signals.onTaken = old.signals.onTaken;
  signals.blocked = caller.blocked;

  // do_close_on_exec()
  for (const fd of old.fds.fds()) if (old.fds.getCloexec(fd)) old.fds.close(fd);

  const mm = new MmState();
  mm.ramBytes = old.mm.ramBytes;
  mm.limitBytes = old.mm.limitBytes;
  machine.mem.frameLimit = old.procs.current.machine.mem.frameLimit;
  old.proc.thread(old.pid).name = name.slice(0, COMM_MAX); // __set_task_comm(bprm->filename's base)
  const base = {
    pid: old.pid,
    procs: old.procs,
    fds: old.fds,
    brk: new ProgramBreak(image.brkStart),
    mm,
    proc: old.proc,
    thread,
    signals,
    clock: old.clock,
    timers: old.timers,
    random: old.random,
    limits: old.limits,
  };
  const vfs = new VfsState({ ...base, image, mem: machine.mem, ramBytes: () => mm.ramBytes, pid: old.pid, ppid: old.vfs.ppid }, {}, old.vfs);
  vfs.setExe(exe); // begin_new_exec(): set_mm_exe_file(bprm->mm, bprm->file)
  old.vfs.releaseExe(); // exec_mmap(): the old mm, and its exe_file, go
  const state = { ...base, vfs };
  installVfsHooks(state);
  return state;
}
