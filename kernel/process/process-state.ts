// The process module's part of the kernel state: credentials, personality, and the
// per-process and per-thread knobs prctl(2) reads and writes.

import { basename } from 'node:path';
import { Credentials } from './credentials.ts';
import { PID } from './identity.ts';
import { SessionState } from './session.ts';
import { UtsNames } from './uname.ts';

/** TASK_COMM_LEN - 1: a thread name is at most 15 bytes. */
export const COMM_MAX = 15;

/** SUID_DUMP_USER: a process starts dumpable; a credential change resets it to fs.suid_dumpable (0). */
export const SUID_DUMP_USER = 1;
export const SUID_DUMP_DISABLE = 0;

/** Default per-thread timer slack, 50 µs (init_task.timer_slack_ns). */
export const DEFAULT_TIMER_SLACK_NS = 50_000n;

/** What Linux keeps per task (thread) and prctl can change. */
export interface ThreadKnobs {
  /** comm: PR_SET_NAME / PR_GET_NAME, latin1, at most COMM_MAX bytes. */
  name: string;
  pdeathsig: number;
  timerSlackNs: bigint;
  ioFlusher: boolean;
}

export class ProcessState {
  readonly creds = new Credentials();
  /** Process group and session (getpgid/setsid). */
  readonly session = new SessionState();
  /** Host and domain name (sethostname/setdomainname). */
  uts = new UtsNames();
  /** personality(2); 0 is PER_LINUX. */
  personality = 0;
  dumpable = SUID_DUMP_USER;
  noNewPrivs = false;
  childSubreaper = false;
  thpDisable = false;
  /** PR_MCE_KILL policy: PR_MCE_KILL_DEFAULT (2), or EARLY/LATE. */
  mceKill = 2;
  /** membarrier registrations (MEMBARRIER_CMD_REGISTER_*). */
  membarrierPrivateExpedited = false;
  membarrierGlobalExpedited = false;
  private readonly threads = new Map<number, ThreadKnobs>();
  private mainKnobs: ThreadKnobs;

  /** @param execPath the program as exec'd: its basename, cut to 15 bytes, is the initial name (begin_new_exec). */
  constructor(execPath: string) {
    this.mainKnobs = { name: basename(execPath).slice(0, COMM_MAX), pdeathsig: 0, timerSlackNs: DEFAULT_TIMER_SLACK_NS, ioFlusher: false };
    this.threads.set(PID, this.mainKnobs);
  }

  /** A thread's knobs; a thread seen for the first time starts with a copy of the main thread's (clone copies the creator's). */
  thread(tid: number): ThreadKnobs {
    let t = this.threads.get(tid);
    if (!t) {
      t = { ...this.mainKnobs, pdeathsig: 0 };
      this.threads.set(tid, t);
    }
    return t;
  }

  /**
   * copy_process() for a new process whose main thread is `pid`, created by thread `tid`:
   * credentials, session, personality and the process knobs copied; the new thread's knobs
   * those of its creator (name included), pdeathsig cleared. The UTS namespace is shared.
   */
  fork(pid: number, tid: number): ProcessState {
    const p = new ProcessState('');
    Object.assign(p.creds, structuredClone({ ...this.creds }));
    p.session.pgid = this.session.pgid;
    p.session.sid = this.session.sid;
    p.uts = this.uts;
    p.personality = this.personality;
    p.dumpable = this.dumpable;
    p.noNewPrivs = this.noNewPrivs;
    p.thpDisable = this.thpDisable;
    p.mceKill = this.mceKill;
    const knobs = this.thread(tid);
    p.threads.delete(PID);
    p.threads.set(pid, { ...knobs, pdeathsig: 0 });
    p.mainKnobs = p.threads.get(pid)!;
    return p;
  }

  /** A credential change that Linux's commit_creds() treats as making the process less trustworthy. */
  credentialsChanged(): void {
    this.dumpable = SUID_DUMP_DISABLE;
    for (const t of this.threads.values()) t.pdeathsig = 0;
  }
}
