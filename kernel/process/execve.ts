// execve(2) and execveat(2) (fs/exec.c do_execveat_common, Linux 6.1), for static riscv64
// ELF programs in the guest's file namespace. In Linux's order: the path (EFAULT,
// ENAMETOOLONG, "" ENOENT unless AT_EMPTY_PATH), argv and envp (EFAULT; E2BIG past
// MAX_ARG_STRINGS), the file (do_open_execat: the walk's errors, EACCES for anything but a
// regular file or without execute permission), then the binary handlers: a "#!" script stops
// as unsupported, a file no handler takes is ENOEXEC, a dynamically linked ELF loads its
// PT_INTERP from the caller's namespace (its errors, ELIBBAD for a bad one). Up to
// here the caller is untouched; past the point of no return (the new image is loaded) the
// process gets a new machine: other threads end, close-on-exec descriptors close, caught
// signals go back to SIG_DFL (ignored ones stay ignored, masks and pending signals stay),
// the sigaltstack, POSIX timers and mlocks go, a vfork parent is released, and the thread
// name becomes the file's base name. The run loop switches to the new machine when the call
// returns (sched/runtime.ts completeExec).
//
// Not supported: set-user-ID and set-group-ID programs (they run
// with the caller's credentials, as under a nosuid mount), interval timers across the exec
// (they are dropped: Linux keeps them), and execveat's AT_EMPTY_PATH on an O_PATH descriptor.

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
import { ProcessTimers, processCpuTime } from '../time/timers.ts';
import { readPath } from '../user-memory.ts';
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
  const loc = openExec(k, dirfd, path, flags);
  const bytes = readWhole(loc);
  // search_binary_handler(): binfmt_script for "#!", binfmt_elf for ELF; nothing else takes it.
  if (bytes[0] === 0x23 && bytes[1] === 0x21) k.unsupported(`execve of a "#!" script (${path}): interpreters are host programs`);
  if (!ELF_MAGIC.every((b, i) => bytes[i] === b)) return -E.ENOEXEC;

  const procs = k.state.procs;
  if (!procs.newMachine) k.unsupported('execve without a machine factory');
  const machine = procs.newMachine();
  const execPath = path === '' ? `/dev/fd/${dirfd}` : path;
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

/** do_open_execat(): the walk, then S_ISREG and MAY_EXEC (EACCES). */
function openExec(k: SyscallContext, dirfd: number, path: string, flags: number): Loc {
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) fail('EINVAL');
  const vfs = k.state.vfs;
  const creds = credsOf(k);
  if (path === '') k.unsupported('execveat(AT_EMPTY_PATH) of a descriptor');
  const loc = vfs.ns.resolve(startOf(k, dirfd, path), path, !(flags & AT_SYMLINK_NOFOLLOW), walkAs(creds));
  if (loc.node.type === 'lnk') fail('ELOOP');
  if (loc.node.type !== 'reg') fail('EACCES');
  must(inodePermission(creds, loc.node, MAY_EXEC));
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
  for (const info of caller.pending.queue) leader.pending.add(info);
  leader.sigpending = caller.sigpending;
  leader.nice = caller.nice;

  const signals = new SignalState();
  // flush_signal_handlers(t, 0): caught signals to SIG_DFL, flags and masks cleared.
  old.signals.actions.forEach((a, i) => (signals.actions[i] = { handler: a.handler === SIG_IGN ? SIG_IGN : 0n, flags: 0n, mask: 0n }));
  for (const info of old.signals.shared.queue) signals.shared.add(info);
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
    timers: new ProcessTimers(),
    random: old.random,
    limits: old.limits,
  };
  const vfs = new VfsState({ ...base, image, mem: machine.mem, ramBytes: () => mm.ramBytes, pid: old.pid, ppid: old.vfs.ppid }, {}, old.vfs);
  vfs.setExe(exe);
  const state = { ...base, vfs };
  installVfsHooks(state);
  return state;
}
