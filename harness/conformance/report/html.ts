// The static HTML report (reports/index.html): one self-contained file — inline CSS and a
// few lines of script for the filters, no network. Two tables: per syscall (support level
// from the kernel table, spec cases passed/failed, property results, corpus programs using
// it) and per case (result, first divergence, diffs in a <details>).

import type { CaseResult, ConformanceReport, SyscallSummary } from '../schema.ts';
import { renderBytesDiff } from '../bytes-diff.ts';
import { gateLines, headline, unsupportedMode } from './markdown.ts';

export const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export const CSS = `
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#1d1d1f;background:#fff}
h1{font-size:1.5em;margin:0 0 .2em} h2{font-size:1.15em;margin:1.4em 0 .4em}
.meta{color:#555;font-size:.9em}
.cards{display:flex;gap:.6em;flex-wrap:wrap;margin:.8em 0}
.card{border:1px solid #ddd;border-radius:6px;padding:.4em .8em;min-width:6em}
.card b{display:block;font-size:1.4em}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #eee;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f6f6f6;position:sticky;top:0}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.deviates{color:#1a55c4}.pass{color:#137333}.fail{color:#b3261e}.unsupported{color:#a15c00}.error{color:#7b1fa2}.skipped{color:#777}
.gate.warn{color:#b3261e;font-weight:600}
.full{color:#137333}.partial{color:#a15c00}.enosys{color:#555}
.bar{display:inline-block;height:8px;background:#137333;vertical-align:middle}
.bar.f{background:#b3261e}
pre{white-space:pre-wrap;word-break:break-all;background:#fafafa;border:1px solid #eee;padding:4px;margin:4px 0;font-size:12px}
.filters{margin:.5em 0;display:flex;gap:.8em;flex-wrap:wrap;align-items:center}
details summary{cursor:pointer;color:#1a55c4}
`;

const SCRIPT = `
function applyFilters(){
  var t=document.getElementById('q').value.toLowerCase();
  var o=document.getElementById('outcome').value, k=document.getElementById('kind').value;
  document.querySelectorAll('#cases tbody tr').forEach(function(r){
    var ok=(!o||r.dataset.outcome===o)&&(!k||r.dataset.kind===k)&&(!t||r.textContent.toLowerCase().indexOf(t)>=0);
    r.style.display=ok?'':'none';
  });
  var s=document.getElementById('sq').value.toLowerCase(), l=document.getElementById('level').value, w=document.getElementById('with').checked;
  document.querySelectorAll('#syscalls tbody tr').forEach(function(r){
    var ok=(!l||r.dataset.support===l)&&(!s||r.dataset.name.indexOf(s)>=0)&&(!w||r.dataset.tested==='1');
    r.style.display=ok?'':'none';
  });
}
document.addEventListener('input',applyFilters);document.addEventListener('DOMContentLoaded',applyFilters);
`;

function bar(pass: number, fail: number): string {
  const total = pass + fail;
  if (!total) return '';
  const w = 60;
  return `<span class="bar" style="width:${Math.round((w * pass) / total)}px"></span><span class="bar f" style="width:${Math.round((w * fail) / total)}px"></span>`;
}

function syscallRow(s: SyscallSummary): string {
  const tested = s.spec || s.properties.pass + s.properties.fail || s.corpus.length ? '1' : '0';
  const corpus = s.corpus.length ? `<span title="${esc(s.corpus.join(', '))}">${s.corpus.length}</span>` : '';
  if (tested === '0') {
    // Untested rows stay small: they are hidden by default.
    return `<tr data-support="${s.support}" data-name="${esc(s.name)}" data-tested="0"><td class="n">${s.nr}<td>${esc(s.name)}<td>${s.module}<td class="${s.support}">${s.support}<td colspan="7">${s.support === 'unsupported' ? '' : esc(s.note)}</tr>`;
  }
  return `<tr data-support="${s.support}" data-name="${esc(s.name)}" data-tested="${tested}"><td class="n">${s.nr}</td><td>${esc(s.name)}</td><td>${s.module}</td><td class="${s.support}">${s.support}</td>` +
    `<td class="n">${s.spec ? s.spec.cases : ''}</td><td class="n pass">${s.spec ? s.spec.pass : ''}</td><td class="n fail">${s.spec ? s.spec.fail || '' : ''}</td><td>${s.spec ? bar(s.spec.pass, s.spec.fail) : ''}</td>` +
    `<td class="n">${s.properties.pass + s.properties.fail ? `${s.properties.pass}/${s.properties.pass + s.properties.fail}` : ''}</td><td class="n">${corpus}</td><td>${esc(s.note)}</td></tr>`;
}

function caseDetails(c: CaseResult): string {
  const parts: string[] = [];
  for (const d of c.diffs ?? []) parts.push(`<pre>${esc(renderBytesDiff(d))}</pre>`);
  const dv = c.trace?.divergence;
  if (dv) {
    parts.push(`<pre>${esc([`first syscall divergence at call #${dv.index + 1}${dv.thread !== undefined ? ` of thread ${dv.thread}` : ''}: ${dv.what}`, ...dv.context.map((l) => `    ${l}`), `  qemu   : ${dv.qemu ?? '(no call)'}`, `  zerosys: ${dv.zerosys ?? '(no call)'}`].join('\n'))}</pre>`);
  }
  if (c.trace?.expected.length) parts.push(`<pre>${esc(`expected differences: ${c.trace.expected.join('; ')}`)}</pre>`);
  if (c.trace?.parted?.length) parts.push(`<pre>${esc(c.trace.parted.map((p) => `thread ${p.thread} parted at its call #${p.index + 1} (${p.what}); rest set aside:\n  qemu   : ${p.qemu ?? '(no call)'}\n  zerosys: ${p.zerosys ?? '(no call)'}`).join('\n'))}</pre>`);
  for (const d of c.details ?? []) parts.push(`<pre>${esc(d)}</pre>`);
  if (c.property?.counterexample) parts.push(`<pre>${esc(c.property.counterexample)}</pre>`);
  return parts.length ? `<details><summary>details</summary>${parts.join('')}</details>` : '';
}

function caseRow(c: CaseResult): string {
  const ref = c.reference === 'live' ? '' : ` <small>(${c.reference} reference)</small>`;
  // Passing rows stay small (the report is committed); details are for the others.
  // Judged against Linux where the reference deviates: its own class, with the citation.
  const dev = c.referenceDeviates ? ` <small class="deviates" title="${esc(c.referenceDeviates.citation)}">reference deviates: ${esc(c.referenceDeviates.id)}</small>` : '';
  if (c.outcome === 'pass') return `<tr data-outcome="pass" data-kind="${c.kind}"><td>${esc(c.id)}<td>${c.kind}<td class="pass">pass${ref}${dev}<td>${esc(c.summary)}</tr>`;
  return `<tr data-outcome="${c.outcome}" data-kind="${c.kind}"><td>${esc(c.id)}</td><td>${c.kind}</td><td class="${c.outcome}">${c.outcome}${ref}${dev}</td>` +
    `<td>${esc(c.summary)}${c.source ? ` <small>${esc(c.source)}</small>` : ''}${caseDetails(c)}</td></tr>`;
}

export function renderHtml(r: ConformanceReport): string {
  const s = r.summary;
  const cards = [
    ['cases', s.total], ['pass', s.pass], ['fail', s.fail], ['unsupported', s.unsupported], ['error', s.error], ['skipped', s.skipped], ['syscalls with specs', s.specSyscalls],
  ].map(([k, v]) => `<div class="card ${k}"><b>${v}</b>${k}</div>`).join('');
  const kinds = (['corpus', 'spec', 'property'] as const).map((k) => `${k}: ${s.byKind[k].pass}/${s.byKind[k].total}`).join(' · ');
  const interesting = [...r.cases].sort((a, b) => Number(a.outcome === 'pass') - Number(b.outcome === 'pass'));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>zerosys conformance — ${esc(headline(r))}</title><style>${CSS}</style><script>${SCRIPT}</script></head>
<body>
<h1>zerosys conformance</h1>
<div class="meta">${esc(r.generatedAt)} · zerosys ${esc(r.environment.zerosys)} · reference ${esc(r.environment.qemu.available ? r.environment.qemu.version ?? '' : `absent: ${r.environment.qemu.reason ?? ''}`)} · schema v${r.schemaVersion}${r.options.shard ? ` · shard ${r.options.shard.index}/${r.options.shard.count}` : ''}</div>
<div class="cards">${cards}</div>
<div class="meta">${esc(headline(r))} — ${kinds}. Property seed ${r.options.seed}. ${esc(unsupportedMode(r))}</div>
${gateLines(r).map((l) => `<p class="gate${r.options.allowSkips || r.gate?.ok === false ? ' warn' : ''}">${esc(l)}</p>`).join('\n')}

<h2>Syscalls</h2>
<div class="filters"><input id="sq" placeholder="syscall name"> <select id="level"><option value="">any support</option><option>full</option><option>partial</option><option>enosys</option><option>unsupported</option></select>
<label><input type="checkbox" id="with" checked> only syscalls with specs, properties or corpus use</label></div>
<table id="syscalls"><thead><tr><th>nr</th><th>syscall</th><th>module</th><th>support</th><th>spec cases</th><th>pass</th><th>fail</th><th></th><th>properties</th><th>corpus</th><th>note</th></tr></thead>
<tbody>${r.syscalls.map(syscallRow).join('\n')}</tbody></table>

<h2>Cases</h2>
<div class="filters"><input id="q" placeholder="search cases"> <select id="outcome"><option value="">any result</option><option>pass</option><option>fail</option><option>unsupported</option><option>error</option><option>skipped</option></select>
<select id="kind"><option value="">any kind</option><option>corpus</option><option>spec</option><option>property</option></select></div>
<table id="cases"><thead><tr><th>case</th><th>kind</th><th>result</th><th>first divergence / summary</th></tr></thead>
<tbody>${interesting.map(caseRow).join('\n')}</tbody></table>

<h2>How traces are compared</h2><ul>${Object.entries(r.normalisation).map(([k, v]) => `<li><code>${esc(k)}</code>: ${esc(v)}</li>`).join('')}</ul>
</body></html>
`;
}
