// Where things live in the one WebAssembly.Memory that holds a guest: the hart's state
// (so JavaScript and compiled code see one copy), the compiled code's TLB, then page frames.
// Offsets are bytes from the start of the memory.

/** 64 KiB wasm pages: 65536 is the most a 32-bit memory has (4 GiB). */
export const WASM_PAGES = 65536;

/** Integer registers x0..x31 and the sink x32, each an i64 (low word first). */
export const STATE_X = 0;
/** Float registers f0..f31, each 64 raw bits. */
export const STATE_F = 512;
/** Next pc (f64) when compiled code returns. */
export const STATE_NPC = 1024;
/** Page base (f64) of the region running: the pcs compiled code reports are offsets from it. */
export const STATE_REGION_BASE = 1032;
// 1048..1055: free.
/** Accrued FP exception flags, fcsr[4:0] (i32). */
export const STATE_FFLAGS = 1056;
/** Dynamic rounding mode, fcsr[7:5] (i32). */
export const STATE_FRM = 1060;
/** LR/SC reservation: the reserved address (f64), or -1. */
export const STATE_RESERVATION = 1064;
/** What the last LR read (lr.w sign-extended), 64 bits. */
export const STATE_RESERVED_VALUE = 1072;
/** Set (i32 1) by compiled code that left at a load or store it cannot do itself: run it once. */
export const STATE_STEP = 1080;
/** Entries into a block start before it is compiled (i32; 0: never), for the wasm interpreter. */
export const STATE_HOT = 1084;
/** Why the wasm interpreter returned (i32, wasm/interpreter.ts WHY). */
export const STATE_WHY = 1048;
/** Whether the wasm interpreter stopped at a block start (i32 0 or 1). */
export const STATE_BLOCK_START = 1052;

/** Direct-mapped TLB entries per access kind (64 MiB of pages: a random walk over a big table still mostly hits). */
export const TLB_ENTRIES = 16384;
/** Bytes per entry: the page base address (i64), the addend from a guest address to its host address (i32), padding. */
export const TLB_ENTRY_BYTES = 16;
export const TLB_READ = 4096;
export const TLB_WRITE = TLB_READ + TLB_ENTRIES * TLB_ENTRY_BYTES;

/**
 * Compiled entry points by guest pc, for the dispatcher that chains regions without going
 * back to JavaScript: the pc (i64; odd, so never a pc, when empty), the function's table index
 * (i32), then the block's entry index in its region (low 16 bits) and length (high 16 bits).
 */
export const JUMP_ENTRIES = 32768;
export const JUMP_ENTRY_BYTES = 16;
export const JUMP_CACHE = TLB_WRITE + TLB_ENTRIES * TLB_ENTRY_BYTES;

/**
 * Decoded pages by guest page, for the wasm interpreter (direct-mapped): the page base (i64;
 * odd, so never a page, when empty), the decoded page's offset in the arena below (i32).
 */
export const DPAGE_ENTRIES = 1024;
export const DPAGE_ENTRY_BYTES = 16;
export const DPAGE_TLB = JUMP_CACHE + JUMP_ENTRIES * JUMP_ENTRY_BYTES;

/** Where each indirect jalr went last, by its pc (direct-mapped: pc i64, target i64), for region discovery. */
export const JALR_TARGET_ENTRIES = 8192;
export const JALR_TARGETS = DPAGE_TLB + DPAGE_ENTRIES * DPAGE_ENTRY_BYTES;

/** First page frame; frames are 4 KiB each up to the decoded-code arena. */
export const FRAMES_START = JALR_TARGETS + JALR_TARGET_ENTRIES * 16;

/**
 * The decoded-code arena at the top of the memory: each decoded code page (cpu/decode-cache.ts)
 * is a structure of arrays here, so the wasm interpreter reads what JavaScript decoded. Per
 * page: op (u16), len, rd, rs1, rs2, rs3 (u8), imm (i32), hits (u16), the compiled entry's
 * table index + 1 (i32; 0 none, -1 not compilable) and its entry | length << 16 (u32).
 */
export const DP_OP = 0;
export const DP_LEN = 4096;
export const DP_RD = 6144;
export const DP_RS1 = 8192;
export const DP_RS2 = 10240;
export const DP_RS3 = 12288;
export const DP_IMM = 14336;
export const DP_HITS = 22528;
export const DP_ENTRY = 26624;
export const DP_ENTRY_KL = 34816;
export const DECODED_PAGE_BYTES = 45056;
export const DECODED_PAGES = 4096;
export const DECODED_ARENA = WASM_PAGES * 65536 - DECODED_PAGES * DECODED_PAGE_BYTES;
