// walk.js - rfx serve in a real browser (Debian chromium via puppeteer-core).
// Walks a person's path: search -> filing -> diff -> company page, then the
// landscape page and a hostile filing, checking what is on screen against
// the JSON API, and saves a screenshot of each page. Prints TAP.
//
//   RFX_URL=http://127.0.0.1:PORT RFX_QUERY=word RFX_HOSTILE=FILING_ID \
//   RFX_SHOTS=build/browser node tests/browser/walk.js
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

let n = 0, failed = 0;
function ok(cond, name, detail) {
  n++;
  if (cond) console.log(`ok ${n} - ${name}`);
  else { failed++; console.log(`not ok ${n} - ${name}`); if (detail) console.log(`#   ${String(detail).slice(0, 400)}`); }
}

async function main() {
  let puppeteer;
  try { puppeteer = require('puppeteer-core'); } catch (e) {
    console.log('ok 1 - browser walk # SKIP puppeteer-core is not installed (make deps runs npm ci in tests/browser)');
    return;
  }
  const base = process.env.RFX_URL;
  const query = process.env.RFX_QUERY || 'competition';
  const hostile = process.env.RFX_HOSTILE;
  const shots = process.env.RFX_SHOTS || 'build/browser';
  fs.mkdirSync(shots, {recursive: true});
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rfx-chromium-'));
  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      `--user-data-dir=${profile}`],
  });
  const api = async (p) => {
    const r = await fetch(base + '/api' + p);
    return {status: r.status, body: await r.json()};
  };
  try {
    const page = await browser.newPage();
    await page.setViewport({width: 1280, height: 900});
    const dialogs = [], pageErrors = [], cspViolations = [];
    page.on('dialog', async (d) => { dialogs.push(d.message()); await d.dismiss(); });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    page.on('console', (m) => { if (/Content Security Policy/.test(m.text())) cspViolations.push(m.text()); });
    const settle = () => page.waitForFunction(() => document.getElementById('main').getAttribute('aria-busy') === 'false' &&
      !document.querySelector('#results[aria-busy=true]'), {timeout: 15000});

    // 1. search page: type a query like a person and press Enter
    await page.goto(base + '/', {waitUntil: 'networkidle0'});
    await settle();
    ok(await page.$('input[type=search]') !== null, 'search page has a search box');
    const label = await page.$eval('input[type=search]', (i) => i.labels.length ? i.labels[0].textContent : '');
    ok(label.length > 0, 'the search box has an accessible name', label);
    const facets = await page.$$eval('.facets select', (s) => s.map((x) => x.labels[0].textContent));
    ok(['Category', 'Fiscal year', 'Form', 'Company'].every((f) => facets.includes(f)), 'facets: category, year, form, company', facets.join(','));
    await page.type('input[type=search]', query);
    await Promise.all([page.waitForNavigation({waitUntil: 'networkidle0'}), page.keyboard.press('Enter')]);
    await settle();
    ok(new URL(page.url()).searchParams.get('q') === query, 'the query is in the URL', page.url());
    const want = await api('/search?q=' + encodeURIComponent(query) + '&limit=20');
    const hits = await page.$$eval('li.hit', (l) => l.length);
    ok(want.status === 200 && want.body.hits.length > 0, `the API finds risks for "${query}"`, JSON.stringify(want.body).slice(0, 200));
    ok(hits === want.body.hits.length, `results listed: ${hits} on screen, ${want.body.hits.length} from the API`);
    const marks = await page.$$eval('.snippet mark', (m) => m.length);
    ok(marks > 0, `snippets have highlighted words (${marks} marks)`);
    await page.screenshot({path: path.join(shots, 'search.png'), fullPage: false});

    if (!hits) throw new Error(`no results for "${query}": nothing to walk`);
    // 2. open the first result -> filing page
    const first = want.body.hits[0];
    await Promise.all([page.waitForNavigation({waitUntil: 'networkidle0'}), page.click('li.hit a.hit-title')]);
    await settle();
    ok(/\/filing\?id=\d+/.test(page.url()), 'a result opens its filing page', page.url());
    const fid = new URL(page.url()).searchParams.get('id');
    ok(String(fid) === String(first.filing_id), 'the filing opened is the hit\'s filing');
    const filing = await api('/filings/' + fid);
    const risks = await page.$$eval('article.risk', (a) => a.length);
    ok(risks === filing.body.register.risks.length, `filing page lists ${risks} risks (API: ${filing.body.register.risks.length})`);
    const chips = await page.$$eval('article.risk .chip', (c) => c.length);
    ok(chips > 0, `category chips shown (${chips})`);
    ok(await page.$('dl.metrics') !== null, 'section metrics shown');
    await page.screenshot({path: path.join(shots, 'filing.png'), fullPage: false});
    // printable: navigation and buttons go, the risks stay
    await page.emulateMediaType('print');
    const printView = await page.evaluate(() => ({
      nav: getComputedStyle(document.querySelector('header.top')).display,
      actions: getComputedStyle(document.querySelector('.actions')).display,
      risks: document.querySelectorAll('article.risk').length &&
        getComputedStyle(document.querySelector('article.risk')).display}));
    ok(printView.nav === 'none' && printView.actions === 'none' && printView.risks === 'block',
      'print view hides navigation and buttons, keeps the risks', JSON.stringify(printView));
    await page.pdf({path: path.join(shots, 'filing.pdf'), format: 'A4'});
    await page.emulateMediaType('screen');

    // 3. compare with the previous filing -> diff page
    const diffLink = await page.$('a[href^="/diff?new="]');
    ok(diffLink !== null, 'the filing page links to its diff');
    await Promise.all([page.waitForNavigation({waitUntil: 'networkidle0'}), diffLink.click()]);
    await settle();
    const diff = await api('/diff?new=' + fid);
    if (diff.status === 200) {
      const shown = await page.$$eval('td[data-count]', (t) => Object.fromEntries(t.map((x) => [x.dataset.count, Number(x.textContent)])));
      const c = diff.body.counts;
      ok(['unchanged', 'modified', 'added', 'removed'].every((k) => shown[k] === (c[k] || 0)), 'diff counts on screen match the API', JSON.stringify(shown) + ' vs ' + JSON.stringify(c));
      const meters = await page.$$eval('table.sims meter', (m) => m.length);
      ok(meters === 4, 'four similarity measures shown');
      const ins = await page.$$eval('.pairs ins', (m) => m.length), del = await page.$$eval('.pairs del', (m) => m.length);
      ok(c.modified === 0 || (ins > 0 && del > 0), `redline marks present (${ins} insertions, ${del} deletions)`);
      const pairs = await page.$$eval('article.pair', (a) => a.length);
      ok(pairs === diff.body.pairs.length, `one block per pair (${pairs})`);
    } else {
      const msg = await page.$eval('main', (m) => m.textContent);
      ok(/earlier filing|no filing/.test(msg), 'a filing with no predecessor says so', msg.slice(0, 200));
    }
    await page.screenshot({path: path.join(shots, 'diff.png'), fullPage: false});

    // 4. company page from the filing page
    await page.goto(base + '/filing?id=' + fid, {waitUntil: 'networkidle0'});
    await settle();
    const compLink = await page.$('a[href^="/company?name="]');
    ok(compLink !== null, 'the filing page links to the company page');
    await Promise.all([page.waitForNavigation({waitUntil: 'networkidle0'}), compLink.click()]);
    await settle();
    const name = new URL(page.url()).searchParams.get('name');
    const tl = await api('/companies/' + encodeURIComponent(name) + '/timeline');
    const bars = await page.$$eval('svg.stacked g.bar', (g) => g.length);
    ok(tl.status === 200 && bars === tl.body.years.length, `company chart has one bar per year (${bars}, API ${tl.body.years && tl.body.years.length})`);
    const rects = await page.$$eval('svg.stacked g.bar rect', (r) => r.length);
    let segs = 0;
    (tl.body.years || []).forEach((y) => { segs += Object.values(y.categories).filter((v) => v > 0).length; });
    ok(rects === segs, `one segment per category and year (${rects}, API ${segs})`);
    const points = await page.$$eval('svg.addrem-chart g.point', (g) => g.length);
    ok(points === bars, `added/removed chart has a point per year (${points})`);
    await page.screenshot({path: path.join(shots, 'company.png'), fullPage: true});

    // 5. landscape
    await page.goto(base + '/landscape', {waitUntil: 'networkidle0'});
    await settle();
    const lbars = await page.$$eval('svg.stacked g.bar', (g) => g.length);
    ok(lbars > 0, `landscape chart drawn (${lbars} years)`);
    await page.screenshot({path: path.join(shots, 'landscape.png'), fullPage: false});

    // 6. keyboard: the skip link is the first stop and moves focus to main
    await page.goto(base + '/', {waitUntil: 'networkidle0'});
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => document.activeElement.textContent);
    ok(/Skip to content/.test(focused), 'Tab reaches the skip link first', focused);

    // 7. hostile text: markup in headings and bodies stays text
    const hostileQ = '<img src=x onerror="window.__pwned=3">';
    await page.goto(base + '/?q=' + encodeURIComponent(hostileQ), {waitUntil: 'networkidle0'});
    await settle();
    if (hostile) {
      await page.goto(base + '/filing?id=' + hostile, {waitUntil: 'networkidle0'});
      await settle();
      const txt = await page.$eval('main', (m) => m.textContent);
      ok(/<script>|onerror=/.test(txt), 'hostile markup is shown as text', txt.slice(0, 200));
      const injected = await page.$$eval('main script, main img, main iframe, main [onerror], main [onclick], main [onload]', (x) => x.length);
      ok(injected === 0, `no element was made from filing text (${injected})`);
      await page.screenshot({path: path.join(shots, 'hostile.png'), fullPage: false});
      const h = await api('/search?q=pwned');
      if (h.status === 200 && h.body.hits.length) {
        await page.goto(base + '/?q=pwned', {waitUntil: 'networkidle0'});
        await settle();
      }
    }
    const pwned = await page.evaluate(() => typeof window.__pwned);
    ok(pwned === 'undefined' && dialogs.length === 0, 'nothing executed: window.__pwned is undefined, no dialog', pwned + ' ' + dialogs.join('|'));
    ok(pageErrors.length === 0, 'no script errors on any page', pageErrors.join(' | '));
  } finally {
    await browser.close();
    fs.rmSync(profile, {recursive: true, force: true});
  }
  console.log(`1..${n}`);
  if (failed) process.exitCode = 1;
}

main().catch((e) => { console.log(`not ok ${n + 1} - browser test crashed`); console.log('# ' + String(e.stack || e).split('\n').join('\n# ')); process.exitCode = 1; });
