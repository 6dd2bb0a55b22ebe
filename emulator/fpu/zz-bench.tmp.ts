import { CpuState } from '../cpu/state.ts';
import { fpuOps } from './index.ts';
const s = new CpuState();
const names = ['fadd.d','fmul.d','fmadd.d','fdiv.d','fsub.d','fadd.s','fmul.s','fmadd.s','fcvt.d.w','fcvt.w.d','fmv.x.d','fsgnj.d','flt.d','fsqrt.d'];
const F = names.map((n) => fpuOps[n]);
const triv = names.map(() => (s: CpuState, rd: number, rs1: number, rs2: number) => { s.f64[rd] = s.f64[rs1] + s.f64[rs2]; });
const N = 2_000_000;
function init() { for (let i = 1; i < 8; i++) { s.f64[i] = Math.PI * i / 7; } for (let i = 8; i < 12; i++) { s.f32[2*i] = Math.E * i; s.fi[2*i+1] = -1; } s.x[22] = 12345; }
function run(T: any[], label: string, rm: number) {
  init();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) {
    for (let k = 0; k < T.length; k++) {
      const sp = names[k].endsWith('.s');
      T[k](s, sp ? 8 + (k & 3) : 1 + (k % 7), sp ? 9 : 2, sp ? 10 : 3, sp ? 11 : 4, rm);
    }
    if ((i & 1023) === 0) init();
  }
  console.log(label, 'rm', rm, ((performance.now() - t0) * 1e6 / N / T.length).toFixed(1), 'ns/op');
}
for (let r = 0; r < 2; r++) { run(triv, 'trivial', 0); run(F, 'fpu', 0); run(F, 'fpu', 2); run(F, 'fpu', 4); }
for (const n of names) { const f = [fpuOps[n]]; init(); const t0 = performance.now(); const sp = n.endsWith('.s'); for (let i = 0; i < N; i++) { f[0](s, sp?8:5, sp?9:2, sp?10:3, sp?11:4, 0); if ((i & 1023) === 0) init(); } console.log(n.padEnd(10), ((performance.now()-t0)*1e6/N).toFixed(1)); }
