// The CSRs a user-mode hart has (RISC-V unprivileged ISA, "Zicsr" and the F extension's
// fcsr): their numbers, for the interpreter and for compiled code.

export const CSR_FFLAGS = 0x001;
export const CSR_FRM = 0x002;
export const CSR_FCSR = 0x003;
export const CSR_CYCLE = 0xc00;
export const CSR_TIME = 0xc01;
export const CSR_INSTRET = 0xc02;
