// msgget(2), as Linux 6.1 ipc/msg.c ksys_msgget(): ipcget() (ipc/util.c) with newque(); the
// key and flag checks are ipcget's (namespace.ts): IPC_PRIVATE always creates, another key
// finds its queue (ENOENT without IPC_CREAT, EEXIST with IPC_CREAT|IPC_EXCL, EACCES when the
// mode bits of msgflg are not granted) or creates one (ENOSPC past MSGMNI queues).

import type { SyscallContext } from '../context.ts';
import { ipcget } from './namespace.ts';
import { msgStateOf, newque } from './msg.ts';

export function msgget(k: SyscallContext): number {
  const key = k.i32(0);
  const msgflg = k.i32(1);
  const ms = msgStateOf(k.state);
  const creds = k.state.proc.creds;
  return ipcget(ms.ids, creds, key, msgflg, { getnew: () => newque(ms, k.state, creds, key, msgflg) });
}
