// execve's argument strings (fs/exec.c copy_strings): one without a NUL within MAX_ARG_STRLEN
// (PAGE_SIZE * 32, linux/binfmts.h) is E2BIG, checked before the file is looked up; one just
// short of it is taken (the missing file then answers ENOENT).

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { PROT_READ, PROT_WRITE } from '../../emulator/memory.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';

const MAX_ARG_STRLEN = 4096 * 32;
const STRINGS = 0x1000000; // a 256 KiB area of our own for the long strings

describe('execve argument strings', () => {
  function callWith(length: number): bigint {
    const f = makeFixture();
    f.mem.map(STRINGS, 0x40000, PROT_READ | PROT_WRITE);
    const D = LAYOUT.data;
    f.mem.write(D, Buffer.from('no-such-program\0'));
    f.mem.write(STRINGS, new Uint8Array(length).fill(0x61)); // 'a' * length, then the NUL (fresh memory)
    const argv = D + 0x100;
    f.mem.write(argv, new Uint8Array(new BigUint64Array([BigInt(STRINGS), 0n]).buffer));
    return f.call('execve', D, argv, 0);
  }

  it('E2BIG for a string without a NUL within MAX_ARG_STRLEN, before the file is looked up', () => {
    expect(callWith(MAX_ARG_STRLEN)).toBe(err(E.E2BIG));
  });

  it('takes a string of MAX_ARG_STRLEN - 1 bytes (then the missing file: ENOENT)', () => {
    expect(callWith(MAX_ARG_STRLEN - 1)).toBe(err(E.ENOENT));
  });
});
