// The trace view's page: the trace list at "/" and one trace's waterfall at "/trace/<traceId>".
// Plain DOM, no framework. Span data is only ever set as text (never as markup): it comes from applications.
'use strict';

(function () {
  const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#b07aa1', '#76b7b2', '#edc948', '#9c755f', '#ff9da7',
    '#86bcb6', '#8cd17d', '#a0cbe8', '#ffbe7d'];
  const app = document.getElementById('app');
  let serviceIndex = new Map();

  // ---- small DOM helpers

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key === 'style') Object.assign(node.style, value);
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else if (key === 'role' || key.includes('-')) node.setAttribute(key, value);
      else node[key] = value;
    }
    for (const child of children.flat()) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  async function getJson(url) {
    const response = await fetch(url, {headers: {Accept: 'application/json'}});
    const body = await response.json().catch(() => ({error: response.statusText}));
    if (!response.ok) throw new Error(body.error || ('HTTP ' + response.status));
    return body;
  }

  // ---- formatting

  function duration(nanos) {
    if (nanos < 1e3) return nanos + 'ns';
    if (nanos < 1e6) return trim(nanos / 1e3) + 'µs';
    if (nanos < 1e9) return trim(nanos / 1e6) + 'ms';
    if (nanos < 60e9) return trim(nanos / 1e9) + 's';
    return Math.floor(nanos / 60e9) + 'm ' + Math.round((nanos % 60e9) / 1e9) + 's';
  }

  function trim(n) {
    return String(parseFloat(n.toFixed(n >= 100 ? 0 : n >= 10 ? 1 : 2)));
  }

  function dateOf(unixNanoString) {
    return new Date(Number(BigInt(unixNanoString) / 1000000n));
  }

  function clock(date) {
    const pad = (n, w) => String(n).padStart(w || 2, '0');
    return pad(date.getHours()) + ':' + pad(date.getMinutes()) + ':' + pad(date.getSeconds()) + '.'
      + pad(date.getMilliseconds(), 3);
  }

  function day(date) {
    return date.toLocaleDateString(undefined, {month: 'short', day: 'numeric'});
  }

  // Colours follow the sorted list of every service in the store, so a service keeps its colour on every page.
  function colour(service) {
    let index = serviceIndex.get(service);
    if (index === undefined) {
      index = 0;
      for (const c of service) index = (index * 31 + c.charCodeAt(0)) >>> 0;
    }
    return PALETTE[index % PALETTE.length];
  }

  async function loadServices() {
    try {
      const body = await getJson('/api/services');
      serviceIndex = new Map(body.services.map((s, i) => [s, i]));
      return body.services;
    } catch (e) {
      return [];
    }
  }

  function serviceChip(service) {
    return el('span', {class: 'chip', title: service},
      el('span', {class: 'dot', style: {background: colour(service)}}), service);
  }

  function message(text, cls) {
    return el('p', {class: cls || 'empty', text});
  }

  // ---- the trace list

  async function showList() {
    document.title = 'Traces · trace view';
    const params = new URLSearchParams(location.search);
    const services = await loadServices();
    const serviceSelect = el('select', {id: 'filter-service', name: 'service'},
      el('option', {value: '', text: 'All services'}),
      services.map(s => el('option', {value: s, text: s, selected: params.get('service') === s})));
    const minDuration = el('input', {id: 'filter-min-duration', name: 'minDuration', placeholder: 'e.g. 100ms',
      value: params.get('minDuration') || '', size: 9});
    const errorsOnly = el('input', {id: 'filter-errors', type: 'checkbox', name: 'error',
      checked: params.get('error') === 'true'});
    const limit = el('select', {id: 'filter-limit', name: 'limit'},
      ['20', '50', '100', '500'].map(n => el('option', {value: n, text: n + ' traces',
        selected: (params.get('limit') || '100') === n})));
    const results = el('section', {id: 'results'});
    const form = el('form', {class: 'filters', id: 'filters'},
      el('label', {}, 'Service', serviceSelect),
      el('label', {}, 'Min duration', minDuration),
      el('label', {class: 'check'}, errorsOnly, 'Errors only'),
      el('label', {}, 'Show', limit),
      el('button', {type: 'submit', id: 'search', text: 'Find traces'}));
    const search = () => {
      const query = new URLSearchParams();
      if (serviceSelect.value) query.set('service', serviceSelect.value);
      if (minDuration.value.trim()) query.set('minDuration', minDuration.value.trim());
      if (errorsOnly.checked) query.set('error', 'true');
      if (limit.value !== '100') query.set('limit', limit.value);
      const text = query.toString();
      history.replaceState(null, '', text ? '/?' + text : '/');
      loadTraces(results, text);
    };
    form.addEventListener('submit', e => { e.preventDefault(); search(); });
    [serviceSelect, errorsOnly, limit].forEach(c => c.addEventListener('change', search));
    app.replaceChildren(el('h1', {text: 'Traces'}), form, results);
    search();
  }

  async function loadTraces(results, query) {
    let body;
    try {
      body = await getJson('/api/traces' + (query ? '?' + query : ''));
    } catch (e) {
      results.replaceChildren(message('Cannot list traces: ' + e.message, 'problem'));
      return;
    }
    const traces = body.traces;
    const store = body.store;
    const usage = el('p', {class: 'usage', id: 'store-usage', text: 'Keeping ' + store.traces + ' of at most '
      + store.maxTraces + ' traces and ' + store.spans + ' of ' + store.maxSpans + ' spans; '
      + store.evictedTraces + ' older traces let go' + (store.droppedSpans ? ', ' + store.droppedSpans
      + ' spans dropped' : '') + '.'});
    if (traces.length === 0) {
      results.replaceChildren(message(query ? 'No trace matches these filters.'
        : 'No traces yet. Send spans to this collector over OTLP and they appear here.'), usage);
      return;
    }
    const longest = Math.max(...traces.map(t => t.durationNanos), 1);
    const rows = traces.map(t => {
      const start = dateOf(t.startTimeUnixNano);
      const href = '/trace/' + t.traceId;
      return el('tr', {class: t.error ? 'trace-row error' : 'trace-row', 'data-trace-id': t.traceId,
          onclick: e => { if (!e.target.closest('a')) location.href = href; }},
        el('td', {class: 'when'}, el('span', {class: 'time', text: clock(start)}),
          el('span', {class: 'day', text: day(start)})),
        el('td', {class: 'root'},
          el('a', {href, class: 'trace-link'},
            el('span', {class: 'root-service', style: {color: colour(t.rootService)}, text: t.rootService}), ' ',
            el('span', {class: 'root-name', text: t.rootName})),
          t.error ? el('span', {class: 'badge error-badge', title: t.errorCount + ' error span(s)',
            text: t.errorCount + (t.errorCount === 1 ? ' error' : ' errors')}) : null,
          el('div', {class: 'trace-id', text: t.traceId})),
        el('td', {class: 'duration'},
          el('span', {class: 'duration-text', text: duration(t.durationNanos)}),
          el('span', {class: 'duration-bar', style: {width: Math.max(2, 100 * t.durationNanos / longest) + '%'}})),
        el('td', {class: 'spans', text: t.spanCount}),
        el('td', {class: 'services'}, t.services.map(serviceChip)));
    });
    results.replaceChildren(
      el('p', {class: 'count', text: traces.length + (traces.length === 1 ? ' trace' : ' traces') + ', newest first'}),
      el('table', {class: 'traces', id: 'trace-list'},
        el('thead', {}, el('tr', {},
          ['Start', 'Root span', 'Duration', 'Spans', 'Services'].map(h => el('th', {text: h})))),
        el('tbody', {}, rows)),
      usage);
  }

  // ---- one trace

  async function showTrace(traceId) {
    document.title = 'Trace ' + traceId.slice(0, 8) + ' · trace view';
    let trace;
    await loadServices();
    try {
      trace = await getJson('/api/traces/' + encodeURIComponent(traceId));
    } catch (e) {
      app.replaceChildren(backLink(), message('Cannot show trace ' + traceId + ': ' + e.message, 'problem'));
      return;
    }
    document.title = trace.rootService + ': ' + trace.rootName + ' · trace view';
    const total = Math.max(trace.durationNanos, 1);
    const start = dateOf(trace.startTimeUnixNano);
    const panel = el('aside', {class: 'panel', id: 'span-detail', hidden: true});
    const layout = el('div', {class: 'trace-layout'});
    const header = el('section', {class: 'trace-header'},
      el('h1', {}, el('span', {class: 'root-service', style: {color: colour(trace.rootService)},
        text: trace.rootService}), ' ', el('span', {text: trace.rootName})),
      el('dl', {class: 'facts'},
        fact('Trace ID', el('code', {text: trace.traceId})),
        fact('Started', day(start) + ' ' + clock(start)),
        fact('Duration', duration(trace.durationNanos)),
        fact('Spans', String(trace.spanCount)),
        fact('Errors', trace.errorCount ? el('span', {class: 'error-text', text: String(trace.errorCount)}) : '0')),
      el('div', {class: 'legend'}, trace.services.map(serviceChip)),
      trace.droppedSpans ? message(trace.droppedSpans + ' spans of this trace were dropped: it alone filled max_spans.',
        'problem') : null);
    const waterfall = el('div', {class: 'waterfall', id: 'waterfall', role: 'tree'},
      el('div', {class: 'wf-head'},
        el('div', {class: 'wf-label', text: 'Service · operation'}),
        el('div', {class: 'wf-track ticks'},
          [0, 0.25, 0.5, 0.75, 1].map(f => el('span', {class: 'tick', style: {left: (f * 100) + '%'},
            text: duration(Math.round(f * total))})))));
    waterfall.append(...treeOrder(trace.spans)
      .map(({span, depth, orphan}) => spanRow(span, depth, orphan, total, panel, waterfall)));
    layout.append(waterfall, panel);
    app.replaceChildren(backLink(), header, layout);
    const wanted = new URLSearchParams(location.hash.slice(1)).get('span');
    const row = wanted && waterfall.querySelector('[data-span-id="' + CSS.escape(wanted) + '"]');
    if (row) row.click();
  }

  function backLink() {
    return el('a', {class: 'back', href: '/', text: '← All traces'});
  }

  function fact(name, value) {
    return el('div', {}, el('dt', {text: name}), el('dd', {}, value));
  }

  // Depth-first, children in order of start; a span whose parent never arrived is shown at the top level.
  function treeOrder(spans) {
    const byId = new Map(spans.map(s => [s.spanId, s]));
    const children = new Map();
    const roots = [];
    for (const s of spans) {
      if (s.parentSpanId && byId.has(s.parentSpanId) && s.parentSpanId !== s.spanId) {
        if (!children.has(s.parentSpanId)) children.set(s.parentSpanId, []);
        children.get(s.parentSpanId).push(s);
      } else {
        roots.push(s);
      }
    }
    const out = [];
    const seen = new Set();
    const visit = (s, depth) => {
      if (seen.has(s.spanId)) return;
      seen.add(s.spanId);
      out.push({span: s, depth, orphan: depth === 0 && !!s.parentSpanId});
      (children.get(s.spanId) || []).sort((a, b) => a.offsetNanos - b.offsetNanos).forEach(c => visit(c, depth + 1));
    };
    roots.sort((a, b) => a.offsetNanos - b.offsetNanos).forEach(r => visit(r, 0));
    spans.filter(s => !seen.has(s.spanId)).forEach(s => visit(s, 0)); // parent ids forming a cycle
    return out;
  }

  function spanRow(span, depth, orphan, total, panel, waterfall) {
    const error = span.status.code === 'ERROR';
    const left = 100 * span.offsetNanos / total;
    const width = 100 * span.durationNanos / total;
    const row = el('div', {class: 'span-row' + (error ? ' error' : ''), role: 'treeitem', tabIndex: 0,
        'data-span-id': span.spanId, 'data-parent-id': span.parentSpanId, 'data-depth': depth,
        'aria-level': depth + 1},
      el('div', {class: 'wf-label', style: {paddingLeft: (10 + depth * 16) + 'px'}},
        depth > 0 ? el('span', {class: 'elbow', 'aria-hidden': 'true'}) : null,
        el('span', {class: 'dot', style: {background: colour(span.service)}}),
        el('span', {class: 'span-service', text: span.service}),
        el('span', {class: 'span-name', text: span.name}),
        error ? el('span', {class: 'badge error-badge', text: 'error'}) : null,
        orphan ? el('span', {class: 'badge', title: 'parent ' + span.parentSpanId + ' was not received',
          text: 'parent missing'}) : null),
      el('div', {class: 'wf-track'},
        el('span', {class: 'span-bar', style: {left: left + '%', width: 'max(2px, ' + width + '%)',
          background: colour(span.service)}}),
        el('span', {class: 'span-duration' + (width > 20 ? ' inside' : ''), style: durationLabelPlace(left, width),
          text: duration(span.durationNanos)})));
    const open = () => {
      waterfall.querySelectorAll('.span-row.selected').forEach(r => r.classList.remove('selected'));
      row.classList.add('selected');
      showSpan(span, panel);
      history.replaceState(null, '', '#span=' + span.spanId);
    };
    row.addEventListener('click', open);
    row.addEventListener('keydown', e => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); open(); } });
    return row;
  }

  // Inside a wide bar; otherwise after the bar, or before it when the bar ends near the right edge.
  function durationLabelPlace(left, width) {
    if (width > 20) return {left: left + '%'};
    if (left + width > 85) return {right: (100 - left) + '%'};
    return {left: 'calc(' + (left + width) + '% + 2px)'};
  }

  // ---- the side panel of one span

  function showSpan(span, panel) {
    const error = span.status.code === 'ERROR';
    const close = el('button', {class: 'close', type: 'button', title: 'Close', text: '×', onclick: () => {
      panel.hidden = true;
      document.querySelectorAll('.span-row.selected').forEach(r => r.classList.remove('selected'));
      history.replaceState(null, '', location.pathname);
    }});
    panel.replaceChildren(
      el('header', {}, el('h2', {id: 'detail-name', text: span.name}), close),
      el('div', {class: 'detail-service'}, serviceChip(span.service), el('span', {class: 'kind', text: span.kind})),
      el('dl', {class: 'facts detail-facts'},
        fact('Duration', duration(span.durationNanos)),
        fact('Starts at', '+' + duration(span.offsetNanos)),
        fact('Status', el('span', {class: error ? 'error-text' : '',
          text: span.status.code + (span.status.message ? ': ' + span.status.message : '')})),
        fact('Span ID', el('code', {text: span.spanId})),
        fact('Parent ID', el('code', {text: span.parentSpanId || '—'}))),
      section('Attributes', 'detail-attributes', attributeTable(span.attributes)),
      section('Events', 'detail-events', span.events.length === 0 ? message('No events.') : span.events.map(e =>
        el('div', {class: 'event'},
          el('div', {class: 'event-head'}, el('strong', {text: e.name}),
            el('span', {class: 'muted', text: ' at +' + duration(e.offsetNanos)})),
          attributeTable(e.attributes)))),
      section('Links', 'detail-links', span.links.length === 0 ? message('No links.') : span.links.map(l =>
        el('div', {class: 'link'},
          el('a', {href: '/trace/' + l.traceId + '#span=' + l.spanId, text: 'trace ' + l.traceId.slice(0, 16) + '… / span '
            + l.spanId}),
          attributeTable(l.attributes)))),
      section('Resource', 'detail-resource', attributeTable(span.resource.attributes)),
      span.scope.name ? section('Instrumentation scope', 'detail-scope',
        el('p', {class: 'muted', text: span.scope.name + (span.scope.version ? ' ' + span.scope.version : '')})) : null);
    panel.hidden = false;
    panel.scrollTop = 0;
  }

  function section(title, id, content) {
    return el('section', {class: 'detail-section', id}, el('h3', {text: title}), content);
  }

  function attributeTable(attributes) {
    const keys = Object.keys(attributes || {});
    if (keys.length === 0) return message('None.');
    return el('table', {class: 'attributes'}, el('tbody', {}, keys.sort().map(k => {
      const v = attributes[k];
      return el('tr', {class: 'attr-row', 'data-key': k},
        el('th', {text: k}),
        el('td', {text: typeof v === 'string' ? v : JSON.stringify(v)}));
    })));
  }

  // ---- routing: the server sends this page for "/" and "/trace/<id>"

  const match = location.pathname.match(/^\/trace\/([0-9a-fA-F]{32})\/?$/);
  if (match) {
    showTrace(match[1].toLowerCase());
  } else if (location.pathname.startsWith('/trace/')) {
    app.replaceChildren(backLink(), message('"' + decodeURIComponent(location.pathname.slice(7))
      + '" is not a trace id (expected 32 hex digits).', 'problem'));
  } else {
    showList();
  }
})();
