// What file objects need from the rest of the kernel, without depending on all of it.

import type { Blocker } from './wait.ts';

export interface VfsEnv {
  /** How to wait (wait.ts); replaceable by the scheduler. */
  readonly blocker: Blocker;
  /** CLOCK_REALTIME of the virtual clock, ns: file times. */
  now(): bigint;
  /** The caller wrote to a pipe without readers: SIGPIPE (then the write fails EPIPE). */
  sigpipe(): void;
  /** Owner of new pipes and anonymous files. */
  readonly uid: number;
  readonly gid: number;
}
