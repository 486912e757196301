// Shared by the dashboard's pages: fetching JSON, formatting, uPlot charts, the live event stream
// and, when the dashboard requires a login, the logged-in team.
const fp = {
  async get(path) {
    const r = await fetch(path);
    if (r.status === 401) location.href = '/login.html';
    if (!r.ok) throw new Error(path + ': ' + r.status + ' ' + (await r.text()));
    return r.json();
  },

  // The logged-in team and its request token ({team, csrf}), or null when no login is required.
  session: fetch('/api/session').then(r => r.ok ? r.json() : null, () => null),

  // A request that changes something: a POST with the session's token.
  async post(path) {
    const s = await fp.session;
    const r = await fetch(path, {method: 'POST', headers: s ? {'X-CSRF-Token': s.csrf} : {}});
    if (r.status === 401) location.href = '/login.html';
    if (!r.ok) throw new Error(r.status + ' ' + (await r.text()));
    return r.status === 204 ? null : r.json();
  },
  num(x, digits = 4) { return x === null || x === undefined ? '-' : Number(x).toFixed(digits); },
  time(ms) { return ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 19) : '-'; },
  esc(s) { return String(s ?? '').replace(/[&<>"]/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;'}[c])); },
  param(name) { return new URLSearchParams(location.search).get(name); },
  searchLink(team, id) { return 'search.html?team=' + encodeURIComponent(team) + '&id=' + encodeURIComponent(id); },
  colors: ['#2856b6', '#d1495b', '#0a7d32', '#edae49', '#6a4c93', '#00798c', '#8c564b', '#e377c2', '#7f7f7f', '#17becf'],

  // A line chart: xs and a list of {label, values, color?, scale?}; returns the uPlot.
  lines(el, title, xs, series, opts = {}) {
    const scales = {x: {time: false}};
    const axes = [{label: opts.xLabel || 'iteration'}, {scale: series[0].scale || 'y', label: opts.yLabel || series[0].label}];
    if (series.some(s => s.scale === 'y2')) {
      axes.push({scale: 'y2', side: 1, grid: {show: false}, label: series.find(s => s.scale === 'y2').label});
    }
    return new uPlot({
      title, width: opts.width || 520, height: opts.height || 240, scales, axes,
      series: [{label: opts.xLabel || 'iteration'}].concat(series.map((s, i) => ({
        label: s.label, stroke: s.color || fp.colors[i % fp.colors.length], width: s.width || 1.5,
        scale: s.scale || 'y', dash: s.dash, spanGaps: true, points: {show: false}}))),
      legend: {show: opts.legend !== false},
    }, [xs].concat(series.map(s => s.values)), el);
  },

  // A scatter of points {x, y, group}: one uPlot series per group, drawn as points only.
  scatter(el, title, points, groups, opts) {
    points.sort((a, b) => a.x - b.x);
    const xs = points.map(p => p.x);
    const ys = groups.map((g, gi) => points.map(p => p.group === gi ? p.y : null));
    return new uPlot({
      title, width: opts.width || 520, height: opts.height || 300, scales: {x: {time: false}},
      axes: [{label: opts.xLabel}, {label: opts.yLabel}],
      series: [{label: opts.xLabel}].concat(groups.map((g, i) => ({
        label: g, stroke: fp.ramp(i, groups.length), fill: fp.ramp(i, groups.length), paths: () => null,
        points: {show: true, size: 4, stroke: fp.ramp(i, groups.length), fill: fp.ramp(i, groups.length)}}))),
    }, [xs].concat(ys), el);
  },

  // Early iterations light, late ones dark.
  ramp(i, n) {
    const t = n <= 1 ? 1 : i / (n - 1);
    return 'hsl(' + Math.round(200 - 160 * t) + ', 70%, ' + Math.round(70 - 35 * t) + '%)';
  },

  // Calls onSearch({team, searchId}) whenever a search changes, as the server sends it.
  live(onSearch) {
    const source = new EventSource('/events');
    source.addEventListener('search', e => onSearch(JSON.parse(e.data)));
    return source;
  },

  // Runs fn at most once per `ms`, the last call winning.
  throttle(fn, ms) {
    let timer = null;
    return () => { if (!timer) timer = setTimeout(() => { timer = null; fn(); }, ms); };
  },

  header(here) {
    const pages = [['index.html', 'Searches'], ['compare.html', 'Compare'], ['evaluators.html', 'Evaluators']];
    document.body.insertAdjacentHTML('afterbegin', '<header><span class="brand">fpnas</span>' +
      pages.map(([href, name]) => '<a href="' + href + '"' + (name === here ? ' class="here"' : '') + '>' + name + '</a>').join('') +
      '<a href="/metrics">metrics</a></header>');
    fp.session.then(s => {
      if (!s) return;
      document.querySelector('header').insertAdjacentHTML('beforeend',
        '<span class="who">team <b id="who">' + fp.esc(s.team) + '</b><button id="logout">log out</button></span>');
      document.getElementById('logout').onclick = () => fp.post('/logout').then(() => { location.href = '/login.html'; });
    });
  },
};
