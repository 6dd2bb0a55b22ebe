// Creating a mapping once its place and attributes are decided (the tail of Linux's
// mmap_region and do_brk_flags): page-table entry, recorded attributes, the file's bytes
// for a private file mapping, and the population MAP_POPULATE / mlock ask for.
//
// File-backed private mappings take a copy of the file when they are made (the VFS gives
// the bytes through OpenFile.pread), so a later write() to the file is not seen through
// pages the guest has not written yet, as it would be on Linux (see the mmap row's note).

import type { Memory } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import type { OpenFile } from '../vfs/fd-table.ts';
import type { MapAttrs } from './mm-state.ts';
import { syncOut } from './shared.ts';

/** What /proc/self/maps shows for a MAP_SHARED|MAP_ANONYMOUS mapping (a deleted shmem file). */
export const SHARED_ANON_NAME = '/dev/zero (deleted)';

const CHUNK = 1 << 20;

/**
 * @param contents the file's bytes for a file mapping (readFileRange), written at start
 * @param busFrom where the pages past the file's end begin (pastEof): SIGBUS on access
 */
export function establish(
  k: SyscallContext,
  start: number,
  size: number,
  perms: number,
  attrs: MapAttrs,
  name: string,
  opts: { populate?: boolean; contents?: Uint8Array[]; busFrom?: number } = {},
): void {
  syncOut({ mem: k.mem, mm: k.state.mm }, { start, end: start + size }); // shared memory it replaces keeps what was written
  k.mem.map(start, size, perms, name);
  if (opts.busFrom !== undefined) k.mem.map(start + opts.busFrom, size - opts.busFrom, perms, name, true);
  k.state.mm.record(start, start + size, attrs);
  if (opts.contents) writeChunks(k.mem, start, opts.contents);
  if (opts.populate || (attrs.locked && !attrs.onFault)) k.mem.populate(start, size);
}

/**
 * Where, in bytes from the mapping's start, the pages past the end of the file begin (the
 * first page with no byte of the file), or undefined when the mapping holds none: Linux maps
 * them, and an access there is SIGBUS (filemap_fault: VM_FAULT_SIGBUS). The dynamic linker
 * maps a library's whole span from the file before it lays the data and bss over it.
 */
export function pastEof(file: OpenFile, offset: number, size: number): number | undefined {
  const fileEnd = Math.ceil(file.stat().size / 4096) * 4096;
  return offset + size > fileEnd ? Math.max(0, fileEnd - offset) : undefined;
}

/** The file's bytes [offset, offset+size), in chunks; shorter where the file ends. Errors of pread propagate. */
export function readFileRange(file: OpenFile, offset: number, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let done = 0;
  while (done < size) {
    const chunk = file.pread(Math.min(size - done, CHUNK), offset + done);
    if (chunk.length === 0) break;
    chunks.push(chunk);
    done += chunk.length;
  }
  return chunks;
}

/** Write chunks back to back from start (ignoring protection: the kernel fills the pages). */
export function writeChunks(mem: Memory, start: number, chunks: Uint8Array[]): void {
  let at = start;
  for (const c of chunks) {
    mem.writeUnchecked(at, c);
    at += c.length;
  }
}
