// The YAML syscall spec model (specs/NAME.yaml), after validation.
//
//   syscall: openat                 # the file's syscall (file name must match)
//   man: openat(2)                  # optional reference
//   cases:
//     - name: creates a file with O_CREAT      # unique in the file; the case id is spec/openat/<slug>
//       setup:                                  # optional
//         files:                                # laid out by the harness in the empty working directory
//           - { path: a.txt, content: "hi" }    # file (content | hex | size); mode (default 0644)
//           - { path: d, type: dir, mode: 0o700 }
//           - { path: l, type: symlink, target: a.txt }
//         calls:                                # guest-side steps before the call (open fds, map memory)
//           - { id: fd, call: openat, args: [AT_FDCWD, {str: a.txt}, O_RDONLY] }
//       call: [AT_FDCWD, {str: new.txt}, "O_WRONLY|O_CREAT", 0o600]   # args of the file's syscall,
//                                                                      # or { id?, name?: other, args: [...] }
//       after:                                  # optional guest-side steps after the call, compared too
//         - { call: fstat, args: [{ref: fd}, {out: 128, check: [[16, 4]]}] }
//       expect: { errno: ENOENT }               # optional literal expectation (man page): errno | ret
//       compare: { ret: exact }                 # exact (default) | success (same errno or both succeed)
//       files: true                             # compare the working directory afterwards (default true)
//       qemu_deviates: madvise-advice-unchecked # qemu differs from Linux here (an id of
//                                               # harness/conformance/deviations.ts): judge zerosys
//                                               # against `expect` (required then); the report cites it
//
// Arguments: an integer; a constant expression string ("O_WRONLY|O_CREAT", "AT_FDCWD", "-1");
// {str: TEXT, repeat?: N}; {out: N, check?: [[offset, length], ...] | none}; {hex: "0a0b"};
// {i64: [..]} / {i32: [..]} (little-endian arrays, e.g. timespec); {iov: [buffer, ...]};
// {ref: ID, add?: N} (the result of a setup step, e.g. an fd or a mapping address);
// {ptr: null | unmapped | kernel} (0, an address never mapped, an address above user space).

export type ArgSpec =
  | { kind: 'int'; value: bigint }
  | { kind: 'str'; text: string }
  | { kind: 'out'; size: number; check?: Array<[number, number]> | 'none' }
  | { kind: 'hex'; bytes: string }
  | { kind: 'i64' | 'i32'; values: bigint[] }
  | { kind: 'iov'; items: ArgSpec[] }
  | { kind: 'ref'; id: string; add: bigint };

export interface CallSpec {
  /** Step id (setup/after steps), for {ref: id}. */
  id?: string;
  name: string;
  nr: number;
  args: ArgSpec[];
  line: number;
}

export interface FileSetup {
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'fifo';
  content?: Buffer;
  mode?: number;
  target?: string;
}

export interface SpecCase {
  syscall: string;
  name: string;
  slug: string;
  /** "specs/openat.yaml:12" */
  source: string;
  files: FileSetup[];
  setup: CallSpec[];
  call: CallSpec;
  after: CallSpec[];
  expect?: { errno?: number; errnoName?: string; ret?: bigint };
  compareRet: 'exact' | 'success';
  compareFiles: boolean;
  /**
   * qemu-riscv64 is known to differ from Linux here: the id of the deviation in
   * harness/conformance/deviations.ts (with its citation). zerosys is judged against `expect`
   * (the Linux result) instead of qemu for the call; what the deviation does not concern is
   * still compared.
   */
  qemuDeviates?: string;
}

export interface SpecFile {
  path: string;
  syscall: string;
  man?: string;
  cases: SpecCase[];
}

export class SpecError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
  }
}
