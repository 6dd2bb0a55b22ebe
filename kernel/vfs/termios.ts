// Terminal structures for riscv64, <asm-generic/termbits.h> and <asm-generic/ioctls.h>.
// The settings are Linux's tty_std_termios (drivers/tty/tty_io.c), what a fresh terminal
// reports: iflag ICRNL|IXON, oflag OPOST|ONLCR, cflag B38400|CS8|CREAD|HUPCL,
// lflag ISIG|ICANON|ECHO|ECHOE|ECHOK|ECHOCTL|ECHOKE|IEXTEN, c_cc = INIT_C_CC.

import { StructBuilder } from '../user-memory.ts';
import { TCGETS, TIOCGWINSZ } from '../abi.ts';
import { TERMIOS, WINSIZE } from '../abi-structs.ts';
export { TCGETS, TIOCGWINSZ } from '../abi.ts';

/** struct termios { tcflag_t c_iflag, c_oflag, c_cflag, c_lflag; cc_t c_line; cc_t c_cc[NCCS = 19]; } */
export const TERMIOS_SIZE = TERMIOS.SIZE;
const NCCS = 19;

const ICRNL = 0x100;
const IXON = 0x0400;
const OPOST = 0x01;
const ONLCR = 0x00004;
const B38400 = 0x0000000f;
const CS8 = 0x00000030;
const CREAD = 0x00000080;
const HUPCL = 0x00000400;
const ISIG = 0x00001;
const ICANON = 0x00002;
const ECHO = 0x00008;
const ECHOE = 0x00010;
const ECHOK = 0x00020;
const ECHOCTL = 0x00200;
const ECHOKE = 0x00800;
const IEXTEN = 0x08000;

/**
 * INIT_C_CC "\003\034\177\025\004\0\1\0\021\023\032\0\022\017\027\026\0", indexed VINTR,
 * VQUIT, VERASE, VKILL, VEOF, VTIME, VMIN, VSWTC, VSTART, VSTOP, VSUSP, VEOL, VREPRINT,
 * VDISCARD, VWERASE, VLNEXT, VEOL2; the last two of the 19 slots are 0.
 */
const INIT_C_CC = [0o3, 0o34, 0o177, 0o25, 0o4, 0, 1, 0, 0o21, 0o23, 0o32, 0, 0o22, 0o17, 0o27, 0o26, 0];

export function defaultTermios(): StructBuilder {
  const b = new StructBuilder(TERMIOS_SIZE)
    .u32(0, ICRNL | IXON)
    .u32(4, OPOST | ONLCR)
    .u32(8, B38400 | CS8 | CREAD | HUPCL)
    .u32(12, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN)
    .u8(16, 0); // c_line N_TTY
  for (let i = 0; i < NCCS; i++) b.u8(17 + i, INIT_C_CC[i] ?? 0);
  return b;
}

/** struct winsize { unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel; } — a fixed 24x80. */
export const WINSIZE_SIZE = WINSIZE.SIZE;
export const TTY_ROWS = 24;
export const TTY_COLS = 80;

export function defaultWinsize(): StructBuilder {
  return new StructBuilder(WINSIZE_SIZE).u16(WINSIZE.ws_row, TTY_ROWS).u16(WINSIZE.ws_col, TTY_COLS);
}
