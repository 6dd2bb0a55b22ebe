// The descriptor table. For now it holds the three standard streams; files, pipes and
// devices of the future VFS module install more OpenFile implementations here.

import type { StatInfo } from './stat.ts';

/** An open file description, as the read/write/fstat/ioctl handlers see it. */
export interface OpenFile {
  /** Opened for reading / writing (FMODE_READ / FMODE_WRITE): else EBADF. */
  readonly readable: boolean;
  readonly writable: boolean;
  /** Up to len bytes (len > 0); an empty result is end of file. */
  read(len: number): Uint8Array;
  /** All of data is consumed. */
  write(data: Uint8Array): void;
  isatty(): boolean;
  stat(): StatInfo;
  /** Short description for fail-fast messages ("stdin", "/etc/passwd"). */
  readonly label: string;
}

export class FdTable {
  private readonly files = new Map<number, OpenFile>();

  get(fd: number): OpenFile | undefined {
    return this.files.get(fd);
  }
  install(fd: number, file: OpenFile): void {
    this.files.set(fd, file);
  }
  /** False if fd was not open (EBADF). */
  close(fd: number): boolean {
    return this.files.delete(fd);
  }
}
