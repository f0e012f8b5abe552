/* app.js - rfx serve's web application: search, filing, diff, company and
 * landscape pages over the JSON API under /api/.
 *
 * Safety rule: filing text is data, never markup. Every string from the API
 * reaches the page through textContent or createTextNode (helper el()); no
 * string is ever parsed as markup. The server's Content-Security-Policy also
 * refuses inline script, so markup that slipped through could not run.
 *
 * Navigation is ordinary links and GET forms: the URL holds the state of
 * every page, so a link can be shared and the back button works. */
'use strict';

/* Snippet marks the API puts around matched words (private-use code points). */
var MARK_OPEN = '\ue000', MARK_CLOSE = '\ue001';
var SVGNS = 'http://www.w3.org/2000/svg';
var PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b',
  '#e377c2', '#7f7f7f', '#bcbd22', '#393b79', '#637939', '#843c39', '#7b4173', '#3182bd', '#e6550d'];

/* el('a', {href: '/x', className: 'c'}, 'text', child...) - text is always text */
function el(tag, attrs) {
  var n = document.createElement(tag);
  if (attrs) {
    Object.keys(attrs).forEach(function (k) {
      var v = attrs[k];
      if (v === null || v === undefined || v === false) return;
      if (k === 'className') n.className = v;
      else if (k === 'text') n.textContent = v;
      else if (k.slice(0, 2) === 'on') n.addEventListener(k.slice(2), v);
      else n.setAttribute(k, v === true ? '' : String(v));
    });
  }
  for (var i = 2; i < arguments.length; i++) add(n, arguments[i]);
  return n;
}
function add(n, c) {
  if (c === null || c === undefined || c === false) return;
  if (Array.isArray(c)) { c.forEach(function (x) { add(n, x); }); return; }
  n.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
}
function svg(tag, attrs) {
  var n = document.createElementNS(SVGNS, tag);
  Object.keys(attrs || {}).forEach(function (k) { n.setAttribute(k, String(attrs[k])); });
  for (var i = 2; i < arguments.length; i++) {
    var c = arguments[i];
    if (c === null || c === undefined) continue;
    n.appendChild(typeof c === 'object' ? c : document.createTextNode(String(c)));
  }
  return n;
}

function params() { return new URLSearchParams(location.search); }
function qs(obj) {
  var p = new URLSearchParams();
  Object.keys(obj).forEach(function (k) {
    if (obj[k] !== undefined && obj[k] !== null && obj[k] !== '') p.set(k, obj[k]);
  });
  var s = p.toString();
  return s ? '?' + s : '';
}
function fmt(x, digits) {
  if (typeof x !== 'number' || !isFinite(x)) return '\u2013';
  return x.toFixed(digits === undefined ? 2 : digits);
}
function fidOf(f) { return f ? (f.filing_id || f.id) : null; }
function yearOf(f) {
  if (!f) return null;
  if (f.fiscal_year) return f.fiscal_year;
  var p = f.period || f.date || '';
  var m = /^(\d{4})/.exec(p);
  return m ? Number(m[1]) : null;
}

/* ---- API ---- */

function ApiError(status, message, body) {
  this.status = status; this.message = message; this.body = body;
}
function api(path) {
  var headers = {Accept: 'application/json'};
  var token = sessionStorage.getItem('rfx-token');
  if (token) headers.Authorization = 'Bearer ' + token;
  return fetch('/api' + path, {headers: headers, credentials: 'same-origin'}).then(function (r) {
    return r.text().then(function (t) {
      var body = null;
      try { body = JSON.parse(t); } catch (e) { body = null; }
      if (!r.ok) {
        var msg = body && body.error && body.error.message ? body.error.message : ('HTTP ' + r.status);
        throw new ApiError(r.status, msg, body);
      }
      return body;
    });
  });
}

/* ---- page frame ---- */

var main;
function setPage(title, nodes) {
  document.title = title + ' \u2013 rfx';
  main.textContent = '';
  add(main, nodes);
  main.setAttribute('aria-busy', 'false');
}
function showError(e) {
  if (e instanceof ApiError && e.status === 401) { tokenForm(); return; }
  var msg = e instanceof ApiError ? e.message : String(e && e.message ? e.message : e);
  var nodes = [el('h1', null, 'Something went wrong'),
    el('p', {className: 'error', role: 'alert'}, msg)];
  if (e && e.body && e.body.matches) {
    nodes.push(el('p', null, 'Several companies match; pick one:'));
    nodes.push(el('ul', null, e.body.matches.map(function (m) {
      var name = typeof m === 'string' ? m : (m.company || m.cik || JSON.stringify(m));
      var key = typeof m === 'string' ? m : (m.cik || m.company);
      return el('li', null, el('a', {href: '/company' + qs({name: key})}, name));
    })));
  }
  nodes.push(el('p', null, el('a', {href: '/'}, 'Back to search')));
  setPage('Error', nodes);
}
function tokenForm() {
  var input = el('input', {type: 'password', id: 'token', name: 'token', autocomplete: 'off', required: true});
  var form = el('form', {className: 'token', onsubmit: function (ev) {
    ev.preventDefault();
    sessionStorage.setItem('rfx-token', input.value);
    location.reload();
  }}, el('label', {'for': 'token'}, 'Access token'), ' ', input, ' ', el('button', {type: 'submit'}, 'Continue'));
  setPage('Access token', [el('h1', null, 'This corpus needs an access token'),
    el('p', null, 'Ask whoever runs this server for a token. It is kept for this browser tab only.'), form]);
  input.focus();
}

/* A snippet "...a [match] b..." with marks -> text and <mark> nodes. */
function marked(s) {
  var out = [], i = 0;
  s = s || '';
  while (i < s.length) {
    var a = s.indexOf(MARK_OPEN, i);
    if (a < 0) { out.push(s.slice(i)); break; }
    var b = s.indexOf(MARK_CLOSE, a + 1);
    if (b < 0) b = s.length;
    if (a > i) out.push(s.slice(i, a));
    out.push(el('mark', null, s.slice(a + 1, b)));
    i = b + 1;
  }
  return out;
}

function catColor(cats, id) {
  var i = cats.indexOf(id);
  if (i < 0) { cats.push(id); i = cats.length - 1; }
  return PALETTE[i % PALETTE.length];
}
function chip(id) { return el('span', {className: 'chip'}, String(id).replace(/_/g, ' ')); }

/* ---- search page ---- */

function facetSelect(name, label, options, current) {
  var id = 'f-' + name;
  var sel = el('select', {id: id, name: name, onchange: function () { sel.form.submit(); }},
    el('option', {value: ''}, 'any'));
  options.forEach(function (o) {
    var value = typeof o === 'object' ? o.value : o;
    var text = typeof o === 'object' ? o.label : o;
    add(sel, el('option', {value: value, selected: String(value) === current}, text));
  });
  return el('div', {className: 'facet'}, el('label', {'for': id}, label), sel);
}

function statRows(stats) {
  /* stats JSON from /api/stats?by=X: take the first array of rows it holds */
  if (!stats) return [];
  if (Array.isArray(stats)) return stats;
  var keys = ['rows', 'stats', 'categories', 'years', 'companies', 'forms', 'by'];
  for (var i = 0; i < keys.length; i++) if (Array.isArray(stats[keys[i]])) return stats[keys[i]];
  for (var k in stats) if (Array.isArray(stats[k])) return stats[k];
  return [];
}
function rowKey(r, names) {
  for (var i = 0; i < names.length; i++) if (r[names[i]] !== undefined && r[names[i]] !== null) return r[names[i]];
  return null;
}

function searchPage() {
  var p = params();
  var q = p.get('q') || '';
  var limit = 20, offset = Math.max(0, parseInt(p.get('offset') || '0', 10) || 0);
  var filters = {category: p.get('category') || '', form: p.get('form') || '',
    year: p.get('year') || '', company: p.get('company') || ''};
  var searching = q || filters.category || filters.form || filters.year || filters.company;

  var box = el('input', {type: 'search', id: 'q', name: 'q', value: q, placeholder: 'e.g. cybersecurity NOT "data center"',
    'aria-describedby': 'q-help'});
  var facetsBox = el('div', {className: 'facets', role: 'group', 'aria-label': 'Filters'});
  var form = el('form', {role: 'search', action: '/', method: 'get', className: 'search'},
    el('label', {'for': 'q', className: 'big'}, 'Search risk factors'),
    el('div', {className: 'row'}, box, el('button', {type: 'submit'}, 'Search')),
    el('p', {id: 'q-help', className: 'help'},
      'Words match stemmed; "quoted phrases", OR, NOT and prefix* work, as in rfx search.'),
    facetsBox);
  var results = el('section', {'aria-label': 'Results', id: 'results'});
  setPage(q ? q + ' \u2013 search' : 'Search', [el('h1', {className: 'visually-hidden'}, 'Search'), form, results]);

  Promise.all([api('/stats?by=category').catch(function () { return null; }),
    api('/stats?by=year').catch(function () { return null; }),
    api('/stats?by=form').catch(function () { return null; }),
    api('/stats?by=company').catch(function () { return null; })]).then(function (s) {
    var cats = statRows(s[0]).map(function (r) { return rowKey(r, ['category', 'id', 'key']); })
      .filter(function (x) { return x; });
    cats = cats.filter(function (c, i) { return cats.indexOf(c) === i; }).sort();
    var years = statRows(s[1]).map(function (r) { return rowKey(r, ['fiscal_year', 'year', 'key']); })
      .filter(function (x) { return x; }).sort().reverse();
    var forms = statRows(s[2]).map(function (r) { return rowKey(r, ['form', 'key']); }).filter(function (x) { return x; }).sort();
    var comps = statRows(s[3]).map(function (r) { return rowKey(r, ['company', 'cik', 'key']); })
      .filter(function (x) { return x; }).sort();
    add(facetsBox, [
      facetSelect('category', 'Category', cats.map(function (c) { return {value: c, label: c.replace(/_/g, ' ')}; }), filters.category),
      facetSelect('year', 'Fiscal year', years, filters.year),
      facetSelect('form', 'Form', forms, filters.form),
      facetSelect('company', 'Company', comps, filters.company)]);
  });

  if (!searching) {
    api('/filings?limit=50').then(function (d) {
      var fl = (d && d.filings) || [];
      add(results, [el('h2', null, 'Filings in this corpus'),
        el('p', {className: 'count'}, (d && d.total !== undefined ? d.total : fl.length) + ' filings'),
        filingTable(fl)]);
    }).catch(showError);
    return;
  }
  var query = {q: q, category: filters.category, form: filters.form, company: filters.company,
    limit: limit, offset: offset};
  if (filters.year) { query.year_from = filters.year; query.year_to = filters.year; }
  results.setAttribute('aria-busy', 'true');
  api('/search' + qs(query)).then(function (d) {
    var hits = (d && d.hits) || [];
    results.setAttribute('aria-busy', 'false');
    var total = d && typeof d.total === 'number' ? d.total : null;
    if (total === null && hits.length < limit) total = offset + hits.length; /* the last page */
    var countText = hits.length === 0 ? 'No risks match.' :
      (total !== null ? total + ' risks match' : '') +
      (total !== null ? ' \u2013 showing ' : 'Showing ') + (offset + 1) + '\u2013' + (offset + hits.length);
    var list = el('ol', {className: 'hits', start: offset + 1});
    hits.forEach(function (h) {
      var href = '/filing' + qs({id: h.filing_id}) + '#risk-' + h.index;
      var cats = h.categories || (h.category ? [h.category] : []);
      add(list, el('li', {className: 'hit'},
        el('a', {className: 'hit-title', href: href}, h.heading_marked ? marked(h.heading_marked) : (h.heading || '(no heading)')),
        el('div', {className: 'meta'},
          el('a', {href: '/company' + qs({name: h.cik || h.company})}, h.company || h.cik || 'unknown company'), ' \u00b7 ',
          h.form || '', ' \u00b7 ', h.fiscal_year || h.period || '', ' ',
          cats.map(function (c) { return chip(typeof c === 'object' ? c.id : c); }),
          h.status ? el('span', {className: 'status status-' + h.status}, h.status) : null, ' ',
          h.risk_id ? el('a', {href: '/risk' + qs({id: h.risk_id}), className: 'lineage-link'}, 'lineage') : null),
        h.snippet ? el('p', {className: 'snippet'}, marked(h.snippet)) : null));
    });
    var pager = el('nav', {className: 'pager', 'aria-label': 'Pages'});
    var base = {q: q, category: filters.category, form: filters.form, year: filters.year, company: filters.company};
    if (offset > 0) add(pager, el('a', {href: '/' + qs(Object.assign({}, base, {offset: Math.max(0, offset - limit) || ''})), rel: 'prev'}, '\u2190 Previous'));
    if (hits.length === limit && (total === null || offset + limit < total))
      add(pager, el('a', {href: '/' + qs(Object.assign({}, base, {offset: offset + limit})), rel: 'next'}, 'Next \u2192'));
    add(results, [el('p', {className: 'count', role: 'status'}, countText), list, pager]);
  }).catch(function (e) {
    results.setAttribute('aria-busy', 'false');
    if (e instanceof ApiError && e.status === 400)
      add(results, el('p', {className: 'error', role: 'alert'}, 'The query is not valid: ' + e.message));
    else showError(e);
  });
}

function filingTable(fl) {
  var rows = fl.map(function (f) {
    return el('tr', null,
      el('td', null, el('a', {href: '/filing' + qs({id: fidOf(f)})}, f.company || f.source_path || ('filing ' + fidOf(f)))),
      el('td', null, f.form || ''), el('td', null, String(yearOf(f) || '')), el('td', {className: 'num'}, String(f.risks !== undefined ? f.risks : '')));
  });
  return el('table', {className: 'filings'},
    el('thead', null, el('tr', null, el('th', {scope: 'col'}, 'Company'), el('th', {scope: 'col'}, 'Form'),
      el('th', {scope: 'col'}, 'Year'), el('th', {scope: 'col', className: 'num'}, 'Risks'))),
    el('tbody', null, rows));
}

/* ---- filing page ---- */

/* Body text with each fact's text highlighted, in order of appearance. */
function highlightFacts(body, facts) {
  var out = [], pos = 0;
  (facts || []).forEach(function (f, k) {
    if (!f.text) return;
    var at = body.indexOf(f.text, pos);
    if (at < 0) return;
    if (at > pos) out.push(body.slice(pos, at));
    out.push(el('mark', {className: 'fact fact-' + (f.kind || 'x'), title: f.kind || 'fact', 'data-fact': k}, f.text));
    pos = at + f.text.length;
  });
  out.push(body.slice(pos));
  return out;
}
function paragraphs(body, facts) {
  /* keep fact highlighting simple: one <div> with pre-wrap keeps the paragraphs */
  return el('div', {className: 'body'}, highlightFacts(body || '', facts));
}
function metricList(m) {
  if (!m) return null;
  var names = {words: 'Words', sentences: 'Sentences', risks: 'Risks', specificity: 'Specificity',
    boilerplate: 'Boilerplate', fog: 'Fog index', uncertainty: 'Uncertainty %', litigious: 'Litigious %', negative: 'Negative %'};
  return el('dl', {className: 'metrics'}, Object.keys(m).map(function (k) {
    var v = m[k];
    return [el('dt', null, names[k] || k), el('dd', null, typeof v === 'number' && v % 1 ? fmt(v, 2) : String(v))];
  }));
}
function edgarLink(f) {
  var cik = f.cik, acc = f.accession;
  var m = /(\d{10})-?(\d{2})-?(\d{6})/.exec(f.source_path || f.path || '');
  if (!acc && m) acc = m[1] + '-' + m[2] + '-' + m[3];
  if (!cik || !acc) return null;
  var c = String(cik).replace(/^0+/, ''), a = String(acc).replace(/-/g, '');
  if (!/^\d+$/.test(c) || !/^\d{18}$/.test(a)) return null;
  return el('a', {href: 'https://www.sec.gov/Archives/edgar/data/' + c + '/' + a + '/', rel: 'noopener noreferrer', className: 'ext'},
    'This filing on EDGAR');
}

function filingPage() {
  var id = params().get('id');
  if (!id) { showError(new ApiError(400, 'no filing id in the address')); return; }
  api('/filings/' + encodeURIComponent(id)).then(function (d) {
    var f = d.filing || {}, reg = d.register || {};
    var facts = Object.assign({}, reg.source || {}, reg.filing || {}, f);
    var risks = reg.risks || [];
    var title = (facts.company || 'Filing ' + id) + ' ' + (facts.form || '') + ' ' + (yearOf(facts) || '');
    var companyKey = facts.cik || facts.company;
    var head = [el('h1', null, title),
      el('p', {className: 'meta'},
        facts.period ? 'Period ' + facts.period + ' \u00b7 ' : '',
        facts.cik ? 'CIK ' + facts.cik + ' \u00b7 ' : '',
        facts.accession ? 'Accession ' + facts.accession + ' \u00b7 ' : '',
        risks.length + ' risks'),
      el('p', {className: 'actions'},
        el('a', {href: '/diff' + qs({'new': id}), className: 'button'}, 'Compare with the previous filing'), ' ',
        companyKey ? el('a', {href: '/company' + qs({name: companyKey}), className: 'button'}, 'Company history') : null, ' ',
        edgarLink(facts))];
    var metrics = el('section', {'aria-labelledby': 'h-metrics', className: 'card'},
      el('h2', {id: 'h-metrics'}, 'Section metrics'), metricList(reg.metrics));
    var toc = el('ol', {className: 'toc'});
    var list = el('div', {className: 'risks'});
    var group = null;
    risks.forEach(function (r, i) {
      var n = r.index || i + 1;
      if (r.group && r.group !== group) {
        group = r.group;
        add(list, el('h2', {className: 'group'}, r.group));
        add(toc, el('li', {className: 'toc-group'}, r.group));
      }
      add(toc, el('li', null, el('a', {href: '#risk-' + n}, r.heading || '(no heading)')));
      var cats = (r.categories || []).map(function (c) {
        return el('details', {className: 'cat'}, el('summary', null, chip(c.id), ' ', el('span', {className: 'score'}, fmt(c.score, 2))),
          el('p', {className: 'evidence'}, 'Evidence: ', (c.evidence || []).join(', ') || 'none'));
      });
      var factList = (r.facts || []).length ? el('details', {className: 'facts'},
        el('summary', null, r.facts.length + (r.facts.length === 1 ? ' fact' : ' facts')),
        el('ul', null, r.facts.map(function (fa) {
          return el('li', null, el('span', {className: 'kind'}, fa.kind || 'fact'), ' ', fa.text || '',
            fa.value !== null && fa.value !== undefined ? ' = ' + fa.value + (fa.unit ? ' ' + fa.unit : '') + (fa.currency ? ' ' + fa.currency : '') : '',
            fa.date ? ' (' + fa.date + ')' : '');
        }))) : null;
      add(list, el('article', {className: 'risk', id: 'risk-' + n, 'aria-labelledby': 'rh-' + n},
        el('h3', {id: 'rh-' + n}, el('span', {className: 'idx'}, n + '. '), r.heading || '(no heading)'),
        cats.length ? el('div', {className: 'cats'}, cats) : null,
        paragraphs(r.body, r.facts), factList,
        r.metrics ? el('details', {className: 'rmetrics'}, el('summary', null, 'Metrics'), metricList(r.metrics)) : null,
        r.risk_id || r.id ? el('p', null, el('a', {href: '/risk' + qs({id: r.risk_id || r.id})}, 'History of this risk')) : null));
    });
    var warn = (reg.warnings || []).length ? el('section', {className: 'card warnings'}, el('h2', null, 'Warnings'),
      el('ul', null, reg.warnings.map(function (w) { return el('li', null, typeof w === 'string' ? w : (w.message || JSON.stringify(w))); }))) : null;
    setPage(title, [head, metrics, warn,
      risks.length ? el('nav', {className: 'card', 'aria-label': 'Risks in this filing'}, el('h2', null, 'Risks'), toc) : el('p', null, 'No risks were found in this filing.'),
      list]);
    if (location.hash) { var t = document.getElementById(location.hash.slice(1)); if (t) t.scrollIntoView(); }
  }).catch(showError);
}

/* ---- risk page (lineage) ---- */

function riskPage() {
  var id = params().get('id');
  api('/risks/' + encodeURIComponent(id || '')).then(function (d) {
    var r = d.risk || {};
    var chain = d.lineage || [];
    setPage('Risk ' + id, [el('h1', null, r.heading || 'Risk ' + id),
      el('p', {className: 'meta'}, (r.company || '') + ' ' + (r.form || '') + ' ' + (r.fiscal_year || r.period || '')),
      el('h2', null, 'Lineage (' + chain.length + ' filings)'),
      el('ol', {className: 'lineage'}, chain.map(function (x) {
        return el('li', null, el('a', {href: '/filing' + qs({id: x.filing_id}) + '#risk-' + x.index},
          (x.fiscal_year || x.period || '') + ' ' + (x.form || '')), ' ',
          x.status ? el('span', {className: 'status status-' + x.status}, x.status) : null, ' ', x.heading || '');
      }))]);
  }).catch(showError);
}

/* ---- diff page ---- */

function redline(ops) {
  return (ops || []).map(function (o, i) {
    var sep = i ? ' ' : '';
    if (o.op === 'insert') return [sep, el('ins', null, o.text)];
    if (o.op === 'delete') return [sep, el('del', null, o.text)];
    return sep + o.text;
  });
}

function diffPage() {
  var p = params();
  var nid = p.get('new'), oid = p.get('old');
  api('/diff' + qs({'new': nid, old: oid})).then(function (d) {
    var of = d.old_filing || {}, nf = d.new_filing || {};
    var c = d.counts || {}, s = d.similarity || {};
    var label = function (f) { return (f.company || 'filing ' + fidOf(f)) + ' ' + (f.form || '') + ' ' + (yearOf(f) || ''); };
    var counts = el('table', {className: 'counts'},
      el('caption', null, 'Risks by status'),
      el('tbody', null, ['unchanged', 'modified', 'moved', 'added', 'removed', 'splits', 'merges'].map(function (k) {
        return el('tr', {className: 'st-' + k}, el('th', {scope: 'row'}, k), el('td', {className: 'num', 'data-count': k}, String(c[k] || 0)));
      })));
    var sims = el('table', {className: 'sims'},
      el('caption', null, 'Section similarity'),
      el('tbody', null, [['cosine', 'Cosine (tf-idf)'], ['jaccard', 'Jaccard (words)'], ['min_edit', 'Minimum edit'], ['simple', 'Simple (sentences)']].map(function (m) {
        var v = s[m[0]];
        return el('tr', null, el('th', {scope: 'row'}, m[1]), el('td', {className: 'num'}, fmt(v, 3)),
          el('td', null, el('meter', {min: 0, max: 1, value: typeof v === 'number' ? v : 0, 'aria-label': m[1]})));
      })));
    var picker = el('form', {action: '/diff', method: 'get', className: 'picker'});
    var pairs = (d.pairs || []).map(function (pr) {
      var st = pr.status || 'unchanged';
      var heading = pr.redline && pr.redline.heading ? redline(pr.redline.heading) : (pr.new_heading || pr.old_heading || '');
      var body = pr.redline && pr.redline.body ? el('div', {className: 'body'}, redline(pr.redline.body)) : null;
      var art = el('article', {className: 'pair pair-' + st},
        el('h3', null, el('span', {className: 'status status-' + st}, st), ' ', heading),
        el('p', {className: 'meta'}, 'old #' + (pr.old || '\u2013') + ' \u2192 new #' + (pr.new || '\u2013') +
          (typeof pr.similarity === 'number' ? ' \u00b7 similarity ' + fmt(pr.similarity, 2) : '')));
      if (body) add(art, st === 'unchanged' ? el('details', null, el('summary', null, 'Text'), body) : body);
      return art;
    });
    setPage('Diff', [el('h1', null, 'What changed'),
      el('p', {className: 'meta'}, 'From ', el('a', {href: '/filing' + qs({id: fidOf(of)})}, label(of)),
        ' to ', el('a', {href: '/filing' + qs({id: fidOf(nf)})}, label(nf))),
      picker,
      el('div', {className: 'cards'}, el('section', {className: 'card'}, counts), el('section', {className: 'card'}, sims)),
      el('h2', null, 'Redline'),
      el('p', {className: 'legend'}, el('ins', null, 'inserted'), ' ', el('del', null, 'deleted'), ' text, risk by risk.'),
      el('div', {className: 'pairs'}, pairs)]);
    /* choose another old filing of the same company and form */
    var key = nf.cik ? {cik: nf.cik} : {company: nf.company};
    api('/filings' + qs(Object.assign({form: nf.form, limit: 200}, key))).then(function (fl) {
      var others = ((fl && fl.filings) || []).filter(function (x) { return String(fidOf(x)) !== String(fidOf(nf)); });
      if (!others.length) return;
      var sel = el('select', {id: 'old', name: 'old'});
      others.forEach(function (x) { add(sel, el('option', {value: fidOf(x), selected: String(fidOf(x)) === String(fidOf(of))}, label(x))); });
      add(picker, [el('input', {type: 'hidden', name: 'new', value: fidOf(nf)}),
        el('label', {'for': 'old'}, 'Compare with '), sel, ' ', el('button', {type: 'submit'}, 'Compare')]);
    }).catch(function () {});
  }).catch(showError);
}

/* ---- charts (own small SVG code) ---- */

/* Stacked bars: one <g class="bar"> per column, one <rect> per series value.
 * cols: [{label, values: {series: number}}]; series order gives colours. */
function stackedBars(cols, series, opts) {
  var W = 760, H = 300, L = 48, B = 28, T = 12, R = 8;
  var max = 0;
  cols.forEach(function (c) {
    var t = 0; series.forEach(function (s) { t += c.values[s] || 0; }); c.total = t; if (t > max) max = t;
  });
  if (opts.share) max = 1;
  else {
    /* a round top: 4 grid steps of 1, 2 or 5 times a power of ten */
    var raw = Math.max(1, max) / 4, p10 = Math.pow(10, Math.floor(Math.log10(raw))), step = p10;
    [1, 2, 5, 10].some(function (m) { step = m * p10; return step >= raw; });
    max = Math.max(4, step * 4);
  }
  var bw = (W - L - R) / Math.max(1, cols.length);
  var g = svg('svg', {viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': opts.label, 'class': 'chart stacked'});
  add(g, svg('title', {}, opts.label));
  for (var k = 0; k <= 4; k++) {
    var y = T + (H - T - B) * (1 - k / 4);
    g.appendChild(svg('line', {x1: L, x2: W - R, y1: y, y2: y, 'class': 'grid'}));
    g.appendChild(svg('text', {x: L - 6, y: y + 4, 'text-anchor': 'end', 'class': 'axis'},
      opts.share ? Math.round(k * 25) + '%' : Math.round(max * k / 4)));
  }
  cols.forEach(function (c, i) {
    var x = L + i * bw + bw * 0.15, w = bw * 0.7, y0 = H - B;
    var bar = svg('g', {'class': 'bar', 'data-label': c.label, 'data-total': c.total});
    series.forEach(function (s, si) {
      var v = c.values[s] || 0;
      if (!v) return;
      var frac = opts.share ? v / (c.total || 1) : v / max;
      var h = frac * (H - T - B);
      y0 -= h;
      bar.appendChild(svg('rect', {x: x, y: y0, width: w, height: Math.max(0, h), fill: PALETTE[si % PALETTE.length]},
        svg('title', {}, c.label + ': ' + s.replace(/_/g, ' ') + ' ' + (opts.share ? Math.round(100 * frac) + '%' : v))));
    });
    bar.appendChild(svg('text', {x: x + w / 2, y: H - B + 16, 'text-anchor': 'middle', 'class': 'axis'}, c.label));
    g.appendChild(bar);
  });
  var legend = el('ul', {className: 'legend'}, series.map(function (s, si) {
    return el('li', null, el('span', {className: 'swatch', style: null, 'data-color': PALETTE[si % PALETTE.length]}), s.replace(/_/g, ' '));
  }));
  /* colour swatches set through the CSSOM (the CSP forbids inline style attributes) */
  Array.prototype.forEach.call(legend.querySelectorAll('.swatch'), function (sw) { sw.style.background = sw.getAttribute('data-color'); });
  return el('figure', {className: 'figure'}, g, legend, opts.caption ? el('figcaption', null, opts.caption) : null);
}

/* A table with the same numbers as a chart, for screen readers and print. */
function dataTable(caption, cols, series, share) {
  return el('details', {className: 'datatable'}, el('summary', null, 'Data: ' + caption),
    el('table', null, el('caption', {className: 'visually-hidden'}, caption),
      el('thead', null, el('tr', null, el('th', {scope: 'col'}, ''), cols.map(function (c) { return el('th', {scope: 'col'}, c.label); }))),
      el('tbody', null, series.map(function (s) {
        return el('tr', null, el('th', {scope: 'row'}, s.replace(/_/g, ' ')), cols.map(function (c) {
          var v = c.values[s] || 0;
          return el('td', {className: 'num'}, share ? Math.round(100 * v / (c.total || 1)) + '%' : String(v));
        }));
      }))));
}

/* ---- company page ---- */

function companyPage() {
  var name = params().get('name') || '';
  var form = params().get('form') || '';
  api('/companies/' + encodeURIComponent(name) + '/timeline' + qs({form: form})).then(function (d) {
    var years = d.years || [];
    var series = [];
    years.forEach(function (y) { Object.keys(y.categories || {}).forEach(function (c) { if (series.indexOf(c) < 0) series.push(c); }); });
    series.sort();
    var cols = years.map(function (y) { return {label: String(y.year), values: y.categories || {}}; });
    var chart = stackedBars(cols, series, {label: 'Risks by category per year for ' + (d.company || name)});
    var ar = el('table', {className: 'addrem'},
      el('caption', null, 'Risks added and removed against the previous filing'),
      el('thead', null, el('tr', null, el('th', {scope: 'col'}, 'Year'), el('th', {scope: 'col'}, 'Filing'), el('th', {scope: 'col', className: 'num'}, 'Risks'),
        el('th', {scope: 'col', className: 'num'}, 'Added'), el('th', {scope: 'col', className: 'num'}, 'Removed'), el('th', {scope: 'col'}, ''))),
      el('tbody', null, years.map(function (y, i) {
        return el('tr', null, el('th', {scope: 'row'}, String(y.year)),
          el('td', null, el('a', {href: '/filing' + qs({id: y.filing_id})}, (y.form || '') + ' ' + (y.period || ''))),
          el('td', {className: 'num'}, String(y.total)),
          el('td', {className: 'num added'}, i ? '+' + (y.added || 0) : '\u2013'),
          el('td', {className: 'num removed'}, i ? '\u2212' + (y.removed || 0) : '\u2013'),
          el('td', null, i ? el('a', {href: '/diff' + qs({'new': y.filing_id, old: years[i - 1].filing_id})}, 'diff') : ''));
      })));
    setPage((d.company || name) + ' \u2013 history', [el('h1', null, d.company || name),
      el('p', {className: 'meta'}, (d.cik ? 'CIK ' + d.cik + ' \u00b7 ' : '') + years.length + ' filings' + (d.form ? ' (' + d.form + ')' : '')),
      el('section', {className: 'card'}, el('h2', null, 'Risk counts by category'), chart,
        dataTable('risks by category per year', cols, series, false)),
      el('section', {className: 'card'}, el('h2', null, 'Added and removed'), addRemChart(years), ar)]);
  }).catch(showError);
}

/* Added (up) and removed (down) per year: two bars per year around a zero line. */
function addRemChart(years) {
  var W = 760, H = 200, L = 48, R = 8, mid = H / 2;
  var max = 1;
  years.forEach(function (y) { max = Math.max(max, y.added || 0, y.removed || 0); });
  var bw = (W - L - R) / Math.max(1, years.length);
  var g = svg('svg', {viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'class': 'chart addrem-chart',
    'aria-label': 'Risks added and removed per year'});
  g.appendChild(svg('line', {x1: L, x2: W - R, y1: mid, y2: mid, 'class': 'zero'}));
  years.forEach(function (y, i) {
    var x = L + i * bw + bw * 0.2, w = bw * 0.6, k = (mid - 18) / max;
    var a = (y.added || 0) * k, r = (y.removed || 0) * k;
    var grp = svg('g', {'class': 'point', 'data-label': y.year});
    if (i) {
      grp.appendChild(svg('rect', {x: x, y: mid - a, width: w, height: a, 'class': 'added'}, svg('title', {}, y.year + ': ' + (y.added || 0) + ' added')));
      grp.appendChild(svg('rect', {x: x, y: mid, width: w, height: r, 'class': 'removed'}, svg('title', {}, y.year + ': ' + (y.removed || 0) + ' removed')));
    }
    grp.appendChild(svg('text', {x: x + w / 2, y: H - 2, 'text-anchor': 'middle', 'class': 'axis'}, y.year));
    g.appendChild(grp);
  });
  return el('figure', {className: 'figure'}, g);
}

/* ---- landscape page ---- */

function landscapePage() {
  api('/stats?by=category').then(function (d) {
    /* rows of {fiscal_year|year, category, risks|count} */
    var rows = statRows(d);
    var byYear = {}, series = [];
    rows.forEach(function (r) {
      var y = rowKey(r, ['fiscal_year', 'year']), c = rowKey(r, ['category', 'id']);
      var n = rowKey(r, ['risks', 'count', 'n']) || 0;
      if (!y || !c) return;
      if (!byYear[y]) byYear[y] = {};
      byYear[y][c] = (byYear[y][c] || 0) + n;
      if (series.indexOf(c) < 0) series.push(c);
    });
    series.sort();
    var yrs = Object.keys(byYear).sort();
    var cols = yrs.map(function (y) { return {label: y, values: byYear[y]}; });
    var chart = stackedBars(cols, series, {share: true, label: 'Share of risks by category per fiscal year'});
    /* rising/falling: share in the last year minus share in the first */
    var moves = [];
    if (yrs.length >= 2) {
      var first = cols[0], last = cols[cols.length - 1];
      var tot = function (c) { var t = 0; series.forEach(function (s) { t += c.values[s] || 0; }); return t || 1; };
      var tf = tot(first), tl = tot(last);
      series.forEach(function (s) { moves.push({cat: s, d: (last.values[s] || 0) / tl - (first.values[s] || 0) / tf}); });
      moves.sort(function (a, b) { return b.d - a.d; });
    }
    var list = function (items, cls) {
      return el('ol', {className: cls}, items.map(function (m) {
        return el('li', null, el('a', {href: '/' + qs({category: m.cat})}, m.cat.replace(/_/g, ' ')), ' ',
          (m.d >= 0 ? '+' : '\u2212') + fmt(Math.abs(m.d) * 100, 1) + ' points');
      }));
    };
    var rising = moves.filter(function (m) { return m.d > 0; }).slice(0, 5);
    var falling = moves.filter(function (m) { return m.d < 0; }).reverse().slice(0, 5);
    setPage('Landscape', [el('h1', null, 'Risk landscape'),
      el('p', {className: 'meta'}, yrs.length ? 'All filings in the corpus, ' + yrs[0] + '\u2013' + yrs[yrs.length - 1] + '.' : 'No categorised risks yet.'),
      el('section', {className: 'card'}, el('h2', null, 'Share of risks by category'), chart,
        dataTable('share of risks by category per year', cols, series, true)),
      el('div', {className: 'cards'},
        el('section', {className: 'card'}, el('h2', null, 'Rising'), rising.length ? list(rising, 'rising') : el('p', null, 'Needs two years or more.')),
        el('section', {className: 'card'}, el('h2', null, 'Falling'), falling.length ? list(falling, 'falling') : el('p', null, 'Needs two years or more.')))]);
  }).catch(showError);
}

/* ---- router ---- */

document.addEventListener('DOMContentLoaded', function () {
  main = document.getElementById('main');
  main.setAttribute('aria-busy', 'true');
  var routes = {'/': searchPage, '/index.html': searchPage, '/filing': filingPage, '/diff': diffPage,
    '/company': companyPage, '/landscape': landscapePage, '/risk': riskPage};
  var page = routes[location.pathname] || searchPage;
  try { page(); } catch (e) { showError(e); }
});
