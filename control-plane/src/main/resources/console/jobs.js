// The jobs page: newest first, filtered by status and name, refreshed every 2 s without reloading.
'use strict';

(async () => {
  const { api, el, num, rate, usd, time, bar, status } = Console;
  const PAGE = 100;
  let limit = PAGE;
  const body = document.querySelector('#jobs tbody');
  const error = document.getElementById('list-error');

  function row(job) {
    const cost = job.estimatedCost ? job.estimatedCost.onDemandUsd : null;
    const link = el('a', { href: 'job.html?id=' + encodeURIComponent(job.jobId), text: job.jobName });
    return el('tr', { 'data-job-id': job.jobId, 'data-status': job.status },
      el('td', {}, link), el('td', {}, status(job.status)), el('td', {}, bar(job)),
      el('td', { className: 'num', text: rate(job.recordsPerSecond) }),
      el('td', { className: 'num', text: num(job.inputTokenCount) }),
      el('td', { className: 'num', text: num(job.outputTokenCount) }),
      el('td', { className: 'num cost', text: usd(cost) }),
      el('td', { text: time(job.submitTime) }), el('td', { text: time(job.endTime) }));
  }

  // A row is rebuilt only when its job changed, and one refresh runs at a time: with 1,000 rows a
  // refresh every 2 s must not redraw (or queue) what is already on screen.
  let rows = new Map();
  let running = null;
  let again = false;

  function rowOf(job) {
    const key = JSON.stringify(job);
    const old = rows.get(job.jobId);
    if (old && old.key === key) return old;
    const tr = row(job);
    // a running job's row changes every refresh: its name link (which never changes) stays the
    // same element, so a click on it is never lost to a redraw
    if (old) tr.replaceChild(old.tr.cells[0], tr.cells[0]);
    return { key, tr };
  }

  function refresh() {
    if (running) {
      again = true; // a filter or "Show more" changed while a load ran: load once more after it
      return running;
    }
    running = load().finally(() => {
      running = null;
      if (again) {
        again = false;
        refresh();
      }
    });
    return running;
  }

  async function load() {
    const q = new URLSearchParams({ maxResults: String(limit), sortOrder: 'Descending' });
    const s = document.getElementById('status').value;
    const n = document.getElementById('name').value.trim();
    if (s) q.set('statusEquals', s);
    if (n) q.set('nameContains', n);
    try {
      const page = await api('GET', 'jobs?' + q);
      const next = new Map(page.jobs.map(job => [job.jobId, rowOf(job)]));
      body.replaceChildren(...[...next.values()].map(r => r.tr));
      rows = next;
      error.classList.add('hidden');
      document.getElementById('more').classList.toggle('hidden', !page.nextToken || limit >= 1000);
      document.getElementById('count').textContent = page.jobs.length + (page.nextToken ? '+' : '') + ' jobs';
      document.getElementById('updated').textContent = 'updated ' + new Date().toLocaleTimeString('en-GB');
    } catch (e) {
      error.textContent = e.type + ': ' + e.message;
      error.classList.remove('hidden');
    }
  }

  const me = await Console.header();
  document.getElementById('prices-as-of').textContent = me.pricesAsOf || '—';
  document.getElementById('filters').addEventListener('submit', e => { e.preventDefault(); refresh(); });
  document.getElementById('status').addEventListener('change', refresh);
  document.getElementById('name').addEventListener('input', refresh);
  document.getElementById('more').addEventListener('click', () => { limit = Math.min(1000, limit + PAGE); refresh(); });
  await refresh();
  setInterval(refresh, 2000);
})();
