// The ops dashboard: a page over the ops JSON API. The OPS token is kept in this tab's session storage
// and sent as a bearer token; the hub keeps no session. Data is put into the page as text, never as HTML.
(function () {
  'use strict';
  const TOKEN = 'hub-ops-token';
  const REFRESH_MS = 15000;
  const API = '/api/v1/ops';
  let charts = [];

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'onclick') e.addEventListener('click', v);
      else if (k === 'className') e.className = v;
      else e.setAttribute(k, v === true ? '' : String(v));
    }
    for (const c of children.flat()) {
      if (c === null || c === undefined) continue;
      e.appendChild(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  const badge = (text) => el('span', { className: 'badge ' + (text || ''), 'data-status': text }, text ? text.replace(/_/g, ' ').toLowerCase() : '—');
  const num = (n) => el('td', { className: 'num' }, n === null || n === undefined ? '—' : Number(n).toLocaleString('en'));
  const when = (iso) => iso ? new Date(iso).toLocaleString('en-GB', { hour12: false }) : '—';

  function ago(seconds) {
    if (seconds === null || seconds === undefined) return 'never';
    if (seconds < 90) return seconds + ' s';
    if (seconds < 5400) return Math.round(seconds / 60) + ' min';
    if (seconds < 172800) return Math.round(seconds / 3600) + ' h';
    return Math.round(seconds / 86400) + ' days';
  }

  function durationMs(start, end) {
    return start && end ? new Date(end) - new Date(start) : null;
  }

  function seconds(ms) {
    return ms === null ? '—' : (ms / 1000).toFixed(ms < 10000 ? 1 : 0) + ' s';
  }

  function table(id, headers, rows) {
    return el('div', { className: 'scroll' }, el('table', { id },
      el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
      el('tbody', {}, rows)));
  }

  class SignedOut extends Error {}

  async function api(method, path, body) {
    const token = sessionStorage.getItem(TOKEN);
    if (!token) throw new SignedOut();
    const headers = { 'Authorization': 'Bearer ' + token, 'Accept': 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(API + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem(TOKEN);
      throw new SignedOut(response.status === 403 ? 'This token has no OPS role' : 'The token was refused');
    }
    const text = await response.text();
    const json = text ? JSON.parse(text) : null;
    if (!response.ok) throw new Error((json && (json.detail || json.title)) || ('HTTP ' + response.status));
    return json;
  }

  async function act(method, path, body) {
    $('message').textContent = '';
    try {
      await api(method, path, body);
    } catch (e) {
      if (e instanceof SignedOut) return showLogin(e.message);
      $('message').textContent = e.message;
    }
    render();
  }

  function disposeCharts() {
    charts.forEach((c) => c.dispose());
    charts = [];
  }

  function chart(id, option) {
    const box = el('div', { className: 'chart', id });
    if (window.echarts) {
      requestAnimationFrame(() => {
        const c = window.echarts.init(box);
        c.setOption(option);
        charts.push(c);
      });
    }
    return box;
  }

  // ---- connections -------------------------------------------------------------------------------
  async function connectionsView() {
    const list = await api('GET', '/connections');
    const rows = list.map((c) => el('tr', { 'data-connection': c.id },
      el('td', {}, el('a', { href: '#/connection/' + encodeURIComponent(c.id) }, c.id),
        el('div', { className: 'muted' }, c.partner + ' · ' + c.system)),
      el('td', {}, badge(c.status)),
      el('td', { className: 'wrap problem' }, c.problem || ''),
      el('td', { className: 'since' }, ago(c.secondsSinceLastSuccess),
        c.schedulePeriodSeconds ? el('div', { className: 'muted' }, 'every ' + ago(c.schedulePeriodSeconds)) : null,
        c.stale ? badge('stale') : null),
      el('td', {}, badge(c.lastRunStatus)),
      num(c.lastRunRecordsRead), num(c.lastRunRecordsRejected),
      el('td', { className: 'actions' },
        el('button', { type: 'button', 'data-action': 'sync', disabled: c.status !== 'ACTIVE' || c.system === 'file',
          onclick: () => act('POST', '/connections/' + encodeURIComponent(c.id) + '/sync') }, 'Sync now'),
        c.status === 'PAUSED'
          ? el('button', { type: 'button', 'data-action': 'resume',
            onclick: () => act('POST', '/connections/' + encodeURIComponent(c.id) + '/resume') }, 'Resume')
          : el('button', { type: 'button', 'data-action': 'pause', disabled: c.status !== 'ACTIVE' || c.system === 'file',
            onclick: () => act('POST', '/connections/' + encodeURIComponent(c.id) + '/pause') }, 'Pause'))));
    const stale = list.filter((c) => c.stale).length;
    const troubled = list.filter((c) => c.problem).length;
    return [el('h1', {}, 'Connections'),
      el('div', { className: 'summary' }, el('span', {}, list.length + ' connections'),
        el('span', {}, stale + ' stale'), el('span', {}, troubled + ' with a problem')),
      table('connections', ['Connection', 'Status', 'Problem', 'Last good sync', 'Last run', 'Read', 'Rejected', ''], rows)];
  }

  // ---- one connection ----------------------------------------------------------------------------
  async function connectionView(id) {
    const path = '/connections/' + encodeURIComponent(id);
    const [c, runs, letters] = await Promise.all([api('GET', path),
      api('GET', '/sync-runs?connectionId=' + encodeURIComponent(id) + '&limit=200'),
      api('GET', path + '/dead-letters?limit=200')]);
    const since = Date.now() - 14 * 86400000;
    const recent = runs.filter((r) => new Date(r.startedAt).getTime() >= since);
    const colours = { SUCCEEDED: '#3aa55d', PARTIAL: '#e0a800', FAILED: '#d64545', CREDENTIALS_REJECTED: '#8a1515', RUNNING: '#6a8fd8' };
    const points = recent.slice().reverse().map((r) => ({
      value: [r.startedAt, (durationMs(r.startedAt, r.finishedAt) || 0) / 1000, r.recordsRead, r.status],
      itemStyle: { color: colours[r.status] || '#888' } }));
    const runRows = recent.map((r) => el('tr', { 'data-run': r.id },
      el('td', {}, when(r.startedAt)), el('td', {}, badge(r.status)), el('td', {}, r.trigger),
      el('td', { className: 'num' }, seconds(durationMs(r.startedAt, r.finishedAt))),
      num(r.recordsRead), num(r.recordsWritten), num(r.recordsRejected),
      el('td', { className: 'wrap' }, r.errorClass ? r.errorClass + ': ' + (r.errorMessage || '') : (r.errorMessage || ''))));
    const letterRows = letters.map((d) => el('tr', { 'data-dead-letter': d.id },
      el('td', {}, d.stream), el('td', {}, d.sourceId || '—'), el('td', {}, d.fields || ''),
      el('td', { className: 'wrap' }, d.reason), num(d.readCount), el('td', {}, when(d.lastSeenAt)),
      el('td', {}, el('button', { type: 'button', className: 'danger', 'data-action': 'discard',
        onclick: () => act('DELETE', path + '/dead-letters/' + d.id) }, 'Discard'))));
    return [el('h1', {}, c.partner + ' · ' + c.system + ' (' + c.id + ')'),
      el('div', { className: 'summary' }, el('span', {}, 'Status ', badge(c.status)),
        el('span', {}, 'Last good sync ', ago(c.secondsSinceLastSuccess), ' ago', c.stale ? [' ', badge('stale')] : null),
        el('span', {}, 'Schedule ', el('code', {}, c.schedule)),
        c.problem ? el('span', { className: 'problem', id: 'connection-problem' }, c.problem) : null,
        c.statusMessage ? el('span', { className: 'muted wrap' }, c.statusMessage) : null),
      el('h2', {}, 'Runs, last 14 days'),
      chart('runs-chart', {
        tooltip: { trigger: 'item', formatter: (p) => p.value[3] + ' · ' + p.value[1].toFixed(1) + ' s · ' + p.value[2] + ' records' },
        grid: { left: 50, right: 20, top: 20, bottom: 40 },
        xAxis: { type: 'time' }, yAxis: { type: 'value', name: 's' },
        series: [{ type: 'bar', name: 'duration', data: points, barMaxWidth: 14 }] }),
      table('runs', ['Started', 'Status', 'Trigger', 'Duration', 'Read', 'Written', 'Rejected', 'Error'], runRows),
      el('h2', {}, 'Dead letters (' + c.deadLetters + ')'),
      el('p', { className: 'actions' },
        el('button', { type: 'button', 'data-action': 'replay', disabled: !letters.length || c.status !== 'ACTIVE',
          onclick: () => act('POST', path + '/dead-letters/replay') }, 'Replay (re-read these records)'),
        el('button', { type: 'button', className: 'danger', 'data-action': 'discard-all', disabled: !letters.length,
          onclick: () => confirm('Discard all dead letters of ' + c.id + '?') && act('DELETE', path + '/dead-letters') },
        'Discard all')),
      table('dead-letters', ['Stream', 'Source id', 'Fields', 'Reason', 'Reads', 'Last seen', ''], letterRows)];
  }

  // ---- nights ------------------------------------------------------------------------------------
  async function nightsView() {
    const nights = await api('GET', '/jobs/nightly/runs?limit=20');
    const details = await Promise.all(nights.slice(0, 10).map((n) => api('GET', '/jobs/nightly/runs/' + n.id)));
    const stepNames = [...new Set(nights.flatMap((n) => n.steps.map((s) => s.name)))];
    const shown = nights.slice().reverse();
    const rows = nights.map((n) => el('tr', { 'data-night': n.id },
      el('td', {}, el('a', { href: '#/night/' + n.id }, '#' + n.id)), el('td', {}, n.businessDate || '—'),
      el('td', {}, badge(n.status)), el('td', {}, when(n.startedAt)),
      el('td', { className: 'num' }, seconds(durationMs(n.startedAt, n.finishedAt))),
      el('td', {}, n.steps.length + ' steps'),
      el('td', { className: 'wrap' }, n.exitMessage || ''),
      el('td', {}, n.status === 'FAILED' && n.businessDate ? el('button', { type: 'button', 'data-action': 'restart',
        onclick: () => act('POST', '/jobs/nightly/runs', { businessDate: n.businessDate }) }, 'Restart') : null)));
    const modelRows = details.flatMap((d) => d.models.map((m) => el('tr', {},
      el('td', {}, d.night.businessDate), el('td', {}, m.model),
      el('td', { className: 'wrap' }, Object.entries(m.parameters || {}).map(([k, v]) =>
        k + ' = ' + (typeof v === 'number' ? v.toPrecision(4) : JSON.stringify(v))).join(', ')),
      el('td', { className: 'num' }, m.logLikelihood === null ? '—' : m.logLikelihood.toFixed(2)), num(m.customers))));
    return [el('h1', {}, 'Nights'),
      el('h2', {}, 'Step durations'),
      chart('nights-chart', {
        tooltip: { trigger: 'axis' }, legend: { type: 'scroll', bottom: 0 },
        grid: { left: 50, right: 20, top: 20, bottom: 60 },
        xAxis: { type: 'category', data: shown.map((n) => (n.businessDate || '') + ' #' + n.id) },
        yAxis: { type: 'value', name: 's' },
        series: stepNames.map((name) => ({ name, type: 'bar', stack: 'steps', data: shown.map((n) => {
          const s = n.steps.find((x) => x.name === name);
          return s ? (durationMs(s.startedAt, s.finishedAt) || 0) / 1000 : 0; }) })) }),
      table('nights', ['Night', 'Business date', 'Status', 'Started', 'Duration', 'Steps', 'Exit', ''], rows),
      el('h2', {}, 'Fitted models, night by night'),
      table('models', ['Business date', 'Model', 'Parameters', 'Log-likelihood', 'Customers'], modelRows)];
  }

  async function nightView(id) {
    const d = await api('GET', '/jobs/nightly/runs/' + encodeURIComponent(id));
    const n = d.night;
    const rows = n.steps.map((s) => el('tr', { 'data-step': s.name },
      el('td', {}, s.name), el('td', {}, badge(s.status)),
      el('td', { className: 'num' }, seconds(durationMs(s.startedAt, s.finishedAt))),
      num(s.readCount), num(s.writeCount), el('td', { className: 'wrap' }, s.exitMessage || '')));
    const models = d.models.map((m) => el('tr', {}, el('td', {}, m.model),
      el('td', { className: 'wrap' }, JSON.stringify(m.parameters)),
      el('td', { className: 'num' }, m.logLikelihood === null ? '—' : m.logLikelihood.toFixed(2)), num(m.customers)));
    return [el('h1', {}, 'Night #' + n.id + ' for ' + (n.businessDate || '?')),
      el('div', { className: 'summary' }, el('span', {}, 'Status ', badge(n.status)),
        el('span', {}, 'Started ', when(n.startedAt)), el('span', {}, 'Duration ', seconds(durationMs(n.startedAt, n.finishedAt))),
        n.status === 'FAILED' && n.businessDate ? el('button', { type: 'button', 'data-action': 'restart',
          onclick: () => act('POST', '/jobs/nightly/runs', { businessDate: n.businessDate }) }, 'Restart this night') : null),
      n.exitMessage ? el('p', { className: 'error' }, n.exitMessage) : null,
      chart('steps-chart', {
        tooltip: { trigger: 'axis' }, grid: { left: 90, right: 20, top: 10, bottom: 30 },
        yAxis: { type: 'category', data: n.steps.map((s) => s.name).reverse() }, xAxis: { type: 'value', name: 's' },
        series: [{ type: 'bar', data: n.steps.map((s) => (durationMs(s.startedAt, s.finishedAt) || 0) / 1000).reverse() }] }),
      table('steps', ['Step', 'Status', 'Duration', 'Read', 'Written', 'Exit'], rows),
      el('h2', {}, 'Fitted models'),
      table('night-models', ['Model', 'Parameters', 'Log-likelihood', 'Customers'], models)];
  }

  // ---- routing -----------------------------------------------------------------------------------
  function route() {
    const hash = location.hash.replace(/^#/, '') || '/';
    let m;
    if ((m = hash.match(/^\/connection\/([^/]+)$/))) return { nav: 'nav-connections', load: () => connectionView(decodeURIComponent(m[1])) };
    if ((m = hash.match(/^\/night\/(\d+)$/))) return { nav: 'nav-nights', load: () => nightView(m[1]) };
    if (hash === '/nights') return { nav: 'nav-nights', load: nightsView };
    return { nav: 'nav-connections', load: connectionsView };
  }

  let rendering = 0;
  async function render() {
    if (!sessionStorage.getItem(TOKEN)) return showLogin();
    const mine = ++rendering;
    const r = route();
    document.querySelectorAll('header nav a').forEach((a) => a.classList.toggle('current', a.id === r.nav));
    try {
      const content = await r.load();
      if (mine !== rendering) return;
      disposeCharts();
      const view = $('view');
      view.replaceChildren(...content.filter((c) => c));
      view.hidden = false;
      $('login').hidden = true;
      $('sign-out').hidden = false;
      $('updated').textContent = 'updated ' + new Date().toLocaleTimeString('en-GB', { hour12: false });
    } catch (e) {
      if (e instanceof SignedOut) return showLogin(e.message);
      $('message').textContent = e.message;
    }
  }

  function showLogin(why) {
    disposeCharts();
    $('view').hidden = true;
    $('sign-out').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = why || '';
  }

  $('login-form').addEventListener('submit', (e) => {
    e.preventDefault();
    sessionStorage.setItem(TOKEN, $('token').value.trim().replace(/^Bearer\s+/i, ''));
    $('token').value = '';
    render();
  });
  $('sign-out').addEventListener('click', () => { sessionStorage.removeItem(TOKEN); showLogin(); });
  window.addEventListener('hashchange', () => { $('message').textContent = ''; render(); });
  window.addEventListener('resize', () => charts.forEach((c) => c.resize()));
  setInterval(() => { if (!document.hidden) render(); }, REFRESH_MS);
  render();
})();
