// One job: its Get view, progress, records/s chart, output files, manifest, and Stop.
'use strict';

(async () => {
  const { api, el, num, rate, usd, time, bytes, bar, status, TERMINAL } = Console;
  const id = new URLSearchParams(location.search).get('id');
  const error = document.getElementById('job-error');
  const stop = document.getElementById('stop');
  const SVG = 'http://www.w3.org/2000/svg';

  function svg(tag, attrs) {
    const e = document.createElementNS(SVG, tag);
    Object.entries(attrs).forEach(([k, v]) => e.setAttribute(k, v));
    return e;
  }

  // Jobs report progress in bursts (each output writer every few hundred ms, more at checkpoints),
  // so a rate between neighbouring samples is spiky: each point averages the last few seconds.
  const WINDOW_MS = 5000;

  /** Per-second rates of column {@code col} of the samples over a sliding window. */
  function rates(samples, col) {
    const points = [];
    let j = 0;
    for (let i = 1; i < samples.length; i++) {
      while (j < i - 1 && samples[i][0] - samples[j + 1][0] >= WINDOW_MS) j++;
      const dt = (samples[i][0] - samples[j][0]) / 1000;
      if (dt > 0) points.push([samples[i][0], ((samples[i][col] || 0) - (samples[j][col] || 0)) / dt]);
    }
    return points;
  }

  /** records/s and 429s/s over a sliding window, as two lines on one axis. */
  function chart(samples) {
    const box = document.getElementById('chart');
    const records = rates(samples, 1);
    const throttled = rates(samples, 2);
    if (records.length < 2) {
      box.replaceChildren(el('p', { className: 'muted', text: 'Not enough samples yet.' }));
      return;
    }
    const W = 1200, H = 240, L = 50, B = 24, T = 10;
    const t0 = records[0][0], t1 = records[records.length - 1][0];
    const max = Math.max(1, ...records.map(p => p[1]), ...throttled.map(p => p[1])) * 1.1;
    const x = t => L + ((t - t0) / Math.max(1, t1 - t0)) * (W - L - 10);
    const y = v => T + (1 - v / max) * (H - T - B);
    const path = points => points.map((p, i) => (i ? 'L' : 'M') + x(p[0]).toFixed(1) + ' ' + y(p[1]).toFixed(1)).join(' ');
    const s = svg('svg', { class: 'chart', viewBox: `0 0 ${W} ${H}`, id: 'rate-chart' });
    s.append(svg('line', { class: 'axis', x1: L, y1: H - B, x2: W - 10, y2: H - B }));
    s.append(svg('line', { class: 'axis', x1: L, y1: T, x2: L, y2: H - B }));
    const d = path(records);
    s.append(svg('path', { class: 'area', d: d + ` L ${x(t1).toFixed(1)} ${H - B} L ${L} ${H - B} Z` }));
    s.append(svg('path', { class: 'line', d }));
    if (throttled.some(p => p[1] > 0)) s.append(svg('path', { class: 'line throttled', d: path(throttled), id: 'throttled-line' }));
    [0, max / 2, max].forEach(v => {
      const t = svg('text', { x: L - 6, y: y(v) + 4, 'text-anchor': 'end' });
      t.textContent = v.toFixed(0);
      s.append(t);
    });
    const secs = Math.round((t1 - t0) / 1000);
    const label = svg('text', { x: W - 10, y: H - 6, 'text-anchor': 'end' });
    label.textContent = secs + ' s';
    s.append(label);
    box.replaceChildren(s);
  }

  function stat(k, v, cls) {
    return el('div', { className: 'stat' + (cls ? ' ' + cls : '') }, el('div', { className: 'k', text: k }),
      el('div', { className: 'v', text: v }));
  }

  function files(view) {
    const tbody = document.querySelector('#files tbody');
    document.getElementById('output-folder').textContent = view.outputFolder;
    if (view.filesError) {
      tbody.replaceChildren(el('tr', {}, el('td', { colspan: '3', className: 'error', text: view.filesError })));
      return;
    }
    tbody.replaceChildren(...view.files.map(f => {
      const href = 'api/jobs/' + encodeURIComponent(id) + '/files/' + f.name.split('/').map(encodeURIComponent).join('/');
      const link = view.downloadAllowed ? el('a', { href, download: f.name.split('/').pop(), text: 'Download' })
        : el('span', { className: 'muted', text: 'not in your allow-output list' });
      return el('tr', { 'data-file': f.name }, el('td', { text: f.name }), el('td', { className: 'num', text: bytes(f.bytes) }),
        el('td', {}, link));
    }));
    if (!view.files.length) {
      tbody.replaceChildren(el('tr', {}, el('td', { colspan: '3', className: 'muted', text: 'No output files yet.' })));
    }
  }

  /** Error lines grouped by code, with a few examples of each, as read from the output files. */
  function errors(view) {
    const box = document.getElementById('errors');
    if (view.errorsError) {
      box.replaceChildren(el('p', { className: 'error', text: view.errorsError }));
      return;
    }
    const e = view.errors;
    if (!e || !e.codes.length) {
      box.replaceChildren(el('p', { className: 'muted', text: e && e.totalBytes ? 'No error lines in the output files.' : 'No output files yet.' }));
      return;
    }
    const rows = [];
    e.codes.forEach(g => {
      g.examples.forEach((x, i) => rows.push(el('tr', { 'data-code': String(g.code) },
        el('td', { className: 'num', text: i ? '' : String(g.code) }), el('td', { className: 'num', text: i ? '' : num(g.count) }),
        el('td', { text: x.recordId || '—' }), el('td', { className: 'small', text: x.message }))));
    });
    const table = el('table', { id: 'error-codes' },
      el('thead', {}, el('tr', {}, el('th', { className: 'num', text: 'Code' }), el('th', { className: 'num', text: 'Lines' }),
        el('th', { text: 'Record (example)' }), el('th', { text: 'Message' }))), el('tbody', {}, ...rows));
    const note = e.complete ? 'From all ' + bytes(e.totalBytes) + ' of output.'
      : 'From the first ' + bytes(e.scannedBytes) + ' of ' + bytes(e.totalBytes) + ' of output: counts cover that part.';
    box.replaceChildren(table, el('p', { className: 'muted', text: note }));
  }

  async function refresh() {
    try {
      const view = await api('GET', 'jobs/' + encodeURIComponent(id));
      const job = view.job;
      document.title = job.jobName + ' · Quarry console';
      document.getElementById('job-name').textContent = job.jobName;
      document.getElementById('job-status').replaceChildren(status(job.status));
      document.getElementById('job-bar').replaceChildren(bar(job, true));
      const c = job.estimatedCost;
      document.getElementById('stats').replaceChildren(
        stat('Records/s', rate(job.recordsPerSecond)), stat('Succeeded', num(job.successRecordCount)),
        stat('Errors', num(job.errorRecordCount)), stat('Input tokens', num(job.inputTokenCount)),
        stat('Output tokens', num(job.outputTokenCount)),
        stat('Est. cost (on demand)', usd(c && c.onDemandUsd), 'cost'), stat('As a Bedrock batch job', usd(c && c.batchUsd)),
        stat('Model calls', num(job.modelCalls)), stat('Answered 429', num(job.throttledCalls)),
        stat('Allowed rate (req/min)', job.allowedRequestsPerMinute ? num(Math.round(job.allowedRequestsPerMinute)) : '—'),
        stat('Model', job.modelId, 'small'), stat('Submitted', time(job.submitTime)), stat('Ended', time(job.endTime)));
      document.getElementById('job-message').textContent = job.message || '';
      stop.disabled = TERMINAL.includes(job.status) || job.status === 'Stopping';
      chart(view.samples);
      files(view);
      errors(view);
      const link = document.getElementById('flink-link');
      if (view.flinkJobUrl) link.setAttribute('href', view.flinkJobUrl);
      document.getElementById('flink-link-line').classList.toggle('hidden', !view.flinkJobUrl);
      document.getElementById('manifest').textContent = view.manifest ? JSON.stringify(view.manifest, null, 2) : '—';
      const get = Object.assign({}, job);
      ['jobId', 'inputTokenCount', 'outputTokenCount', 'estimatedCost', 'recordsPerSecond', 'modelCalls',
        'throttledCalls', 'allowedRequestsPerMinute'].forEach(k => delete get[k]);
      document.getElementById('get-view').textContent = JSON.stringify(get, null, 2);
      error.classList.add('hidden');
      return job;
    } catch (e) {
      error.textContent = e.type + ': ' + e.message;
      error.classList.remove('hidden');
      return null;
    }
  }

  stop.addEventListener('click', async () => {
    stop.disabled = true;
    try {
      await api('POST', 'jobs/' + encodeURIComponent(id) + '/stop');
    } catch (e) {
      error.textContent = e.type + ': ' + e.message;
      error.classList.remove('hidden');
    }
    refresh();
  });

  await Console.header();
  await refresh();
  setInterval(refresh, 2000);
})();
