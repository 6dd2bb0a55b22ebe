// Input for the esbuild-transform corpus program (esbuild --minify reads it from stdin).
// Ordinary modern JavaScript: classes, closures, destructuring, template literals, async.

export class Matrix {
  constructor(rows, cols, fill = 0) {
    this.rows = rows;
    this.cols = cols;
    this.data = new Float64Array(rows * cols).fill(fill);
  }
  static identity(n) {
    const m = new Matrix(n, n);
    for (let i = 0; i < n; i++) m.set(i, i, 1);
    return m;
  }
  get(r, c) {
    return this.data[r * this.cols + c];
  }
  set(r, c, v) {
    this.data[r * this.cols + c] = v;
    return this;
  }
  multiply(other) {
    if (this.cols !== other.rows) throw new RangeError(`cannot multiply ${this.rows}x${this.cols} by ${other.rows}x${other.cols}`);
    const out = new Matrix(this.rows, other.cols);
    for (let i = 0; i < this.rows; i++) {
      for (let k = 0; k < this.cols; k++) {
        const a = this.get(i, k);
        for (let j = 0; j < other.cols; j++) out.data[i * out.cols + j] += a * other.get(k, j);
      }
    }
    return out;
  }
  toString() {
    const lines = [];
    for (let r = 0; r < this.rows; r++) lines.push(Array.from({ length: this.cols }, (_, c) => this.get(r, c).toFixed(2)).join(' '));
    return lines.join('\n');
  }
}

export function memoize(fn, { key = (...args) => JSON.stringify(args), limit = 1000 } = {}) {
  const cache = new Map();
  return function memoized(...args) {
    const k = key(...args);
    if (cache.has(k)) {
      const v = cache.get(k);
      cache.delete(k);
      cache.set(k, v);
      return v;
    }
    const v = fn.apply(this, args);
    cache.set(k, v);
    if (cache.size > limit) cache.delete(cache.keys().next().value);
    return v;
  };
}

export const fibonacci = memoize((n) => (n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2)));

export function* primes(limit) {
  const sieve = new Uint8Array(limit + 1);
  for (let i = 2; i <= limit; i++) {
    if (sieve[i]) continue;
    yield i;
    for (let j = i * i; j <= limit; j += i) sieve[j] = 1;
  }
}

export async function retry(task, { attempts = 3, delay = (n) => 10 * 2 ** n } = {}) {
  let lastError;
  for (let n = 0; n < attempts; n++) {
    try {
      return await task(n);
    } catch (error) {
      lastError = error;
      await new Promise((resolve) => setTimeout(resolve, delay(n)));
    }
  }
  throw new AggregateError([lastError], `gave up after ${attempts} attempts`);
}

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch]);

export function template(strings, ...values) {
  return strings.reduce((out, s, i) => out + s + (i < values.length ? escapeHtml(values[i]) : ''), '');
}

export class EventBus {
  #listeners = new Map();
  on(event, listener) {
    const list = this.#listeners.get(event) ?? [];
    list.push(listener);
    this.#listeners.set(event, list);
    return () => this.off(event, listener);
  }
  off(event, listener) {
    const list = this.#listeners.get(event);
    if (!list) return false;
    const i = list.indexOf(listener);
    if (i >= 0) list.splice(i, 1);
    return i >= 0;
  }
  emit(event, ...args) {
    for (const listener of [...(this.#listeners.get(event) ?? [])]) listener(...args);
  }
}

export function groupBy(items, keyOf) {
  const groups = {};
  for (const item of items) {
    const key = keyOf(item);
    (groups[key] ??= []).push(item);
  }
  return groups;
}

export function parseQuery(query) {
  return Object.fromEntries(
    query
      .replace(/^\?/, '')
      .split('&')
      .filter(Boolean)
      .map((pair) => {
        const [k, v = ''] = pair.split('=');
        return [decodeURIComponent(k), decodeURIComponent(v.replace(/\+/g, ' '))];
      }),
  );
}

export default {
  Matrix,
  memoize,
  fibonacci,
  primes,
  retry,
  escapeHtml,
  template,
  EventBus,
  groupBy,
  parseQuery,
  report: () => template`<p>${[...primes(50)].join(', ')} & fib(40) = ${fibonacci(40)}</p>`,
};
