// Shared by every console page: calls to the console's JSON API and formatting.
'use strict';

const Console = (() => {
  const TERMINAL = ['Completed', 'PartiallyCompleted', 'Failed', 'Stopped', 'Expired'];

  /** Calls the console API; rejects with {status, type, message}; 401 sends the browser to sign in. */
  async function api(method, path, body) {
    const init = { method, credentials: 'same-origin', headers: {} };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const res = await fetch('api/' + path, init);
    const data = await res.json().catch(() => ({}));
    if (res.status === 401 && !location.pathname.endsWith('signin.html')) {
      location.href = 'signin.html';
    }
    if (!res.ok) {
      throw { status: res.status, type: data.__type || 'Error', message: data.message || res.statusText };
    }
    return data;
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    Object.entries(attrs || {}).forEach(([k, v]) => {
      if (k === 'className') e.className = v; else if (k === 'text') e.textContent = v; else e.setAttribute(k, v);
    });
    children.forEach(c => e.append(c));
    return e;
  }

  // One formatter each: toLocaleString builds a new Intl formatter per call, which with a thousand
  // rows redrawn every 2 s kept the page's main thread busy for seconds.
  const NUMBER = new Intl.NumberFormat('en-US');
  const DATE_TIME = new Intl.DateTimeFormat('en-GB', { year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

  function num(n) { return n === undefined || n === null ? '—' : NUMBER.format(Number(n)); }
  function rate(r) { return r === undefined || r === null ? '—' : (r >= 100 ? r.toFixed(0) : r.toFixed(1)); }
  function usd(c) {
    if (!c) return '—';
    const v = Number(c);
    return '$' + (v === 0 ? '0.00' : v < 0.01 ? v.toFixed(5) : v < 100 ? v.toFixed(4) : v.toFixed(2));
  }
  function time(t) { return t ? DATE_TIME.format(new Date(t)) : '—'; }
  function bytes(b) {
    if (b < 1024) return b + ' B';
    if (b < 1024 * 1024) return (b / 1024).toFixed(1) + ' KB';
    return (b / 1024 / 1024).toFixed(1) + ' MB';
  }

  /** A progress bar of processed / total. */
  function bar(job, big) {
    const done = job.processedRecordCount || 0;
    const total = job.totalRecordCount;
    const pct = total ? Math.min(100, (100 * done) / total) : (job.status === 'Completed' ? 100 : 0);
    const fill = el('div', { className: 'fill' });
    fill.style.width = pct.toFixed(1) + '%';
    const label = el('span', { className: 'label', text: num(done) + ' / ' + (total === undefined ? '?' : num(total)) });
    return el('div', { className: 'bar' + (big ? ' big' : ''), 'data-processed': String(done),
      'data-total': total === undefined ? '' : String(total) }, fill, label);
  }

  function status(s) { return el('span', { className: 'status ' + s, text: s }); }

  /** Fills the header: who is signed in, and sign-out. */
  async function header() {
    const me = await api('GET', 'session');
    document.getElementById('who').textContent = me.accessKey + ' · account ' + me.account;
    document.getElementById('signout').addEventListener('click', async () => {
      await api('DELETE', 'session').catch(() => {});
      location.href = 'signin.html';
    });
    return me;
  }

  return { api, el, num, rate, usd, time, bytes, bar, status, header, TERMINAL };
})();
