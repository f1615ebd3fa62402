// The page talks to the same JSON/HTML API a newsroom tool would; nothing is fetched from
// anywhere but this server. The report is the HTML report of report/html.py, shown in a
// sandboxed frame, so its filters and click-to-jump behave exactly like the static file.
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const frame = $('report'), status = $('status');
  const tokenBox = $('token');
  tokenBox.value = sessionStorage.getItem('factcheck-token') || '';
  tokenBox.addEventListener('change', () => sessionStorage.setItem('factcheck-token', tokenBox.value));
  let seq = 0;

  function say(text, isError) { status.textContent = text; status.classList.toggle('error', !!isError); }

  function headers(json) {
    const h = {};
    if (json) h['Content-Type'] = 'application/json';
    if (tokenBox.value) h['Authorization'] = 'Bearer ' + tokenBox.value;
    return h;
  }

  async function problem(resp) {
    try { const j = await resp.json(); return (j.error && j.error.message) || resp.statusText; }
    catch (e) { return resp.status + ' ' + resp.statusText; }
  }

  async function report(path, body) {
    const mine = ++seq;  // a slower, older request never overwrites a newer report
    say('checking …');
    const t0 = performance.now();
    let resp;
    try {
      resp = await fetch(path + '?format=html', {method: 'POST', headers: headers(true), body: JSON.stringify(body)});
    } catch (e) { if (mine === seq) say('server unreachable', true); return; }
    if (mine !== seq) return;
    if (!resp.ok) { say(await problem(resp), true); return; }
    const page = await resp.text();
    if (mine !== seq) return;
    frame.srcdoc = page;
    frame.classList.remove('hidden');
    say('checked in ' + Math.round(performance.now() - t0) + ' ms');
  }

  function compare() {
    const a = $('text-a').value, b = $('text-b').value;
    if (!a.trim() || !b.trim()) { say('paste or upload both articles'); return; }
    report('v1/compare', {a: a, b: b, source_a: $('source-a').value || 'a', source_b: $('source-b').value || 'b',
                           use_db: $('db-compare').checked});
  }

  function draft() {
    const t = $('text-draft').value;
    if (!t.trim()) { say('paste or upload a draft'); return; }
    report('v1/check', {text: t, source: $('source-draft').value || 'draft'});
  }

  function debounce(fn, ms) { let h; return () => { clearTimeout(h); h = setTimeout(fn, ms); }; }
  const liveCompare = debounce(() => { if ($('live-compare').checked) compare(); }, 900);
  const liveDraft = debounce(() => { if ($('live-draft').checked) draft(); }, 900);
  $('text-a').addEventListener('input', liveCompare);
  $('text-b').addEventListener('input', liveCompare);
  $('text-draft').addEventListener('input', liveDraft);
  $('run-compare').addEventListener('click', compare);
  $('run-draft').addEventListener('click', draft);

  function upload(input, area, nameBox, then) {
    input.addEventListener('change', () => {
      const f = input.files[0]; if (!f) return;
      const r = new FileReader();
      r.onload = () => { area.value = r.result; nameBox.value = f.name; then(); };
      r.readAsText(f);
    });
  }
  upload($('file-a'), $('text-a'), $('source-a'), liveCompare);
  upload($('file-b'), $('text-b'), $('source-b'), liveCompare);
  upload($('file-draft'), $('text-draft'), $('source-draft'), liveDraft);

  document.querySelectorAll('.tab').forEach((t) => t.addEventListener('click', () => {
    document.querySelectorAll('.tab').forEach((x) => x.classList.toggle('active', x === t));
    document.querySelectorAll('.pane').forEach((p) => { p.hidden = p.id !== 'pane-' + t.dataset.tab; });
    frame.classList.toggle('hidden', t.dataset.tab === 'search');
  }));

  $('search-form').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const q = $('q').value.trim(), list = $('results');
    if (!q) return;
    say('searching …');
    let resp;
    try { resp = await fetch('v1/claims/search?k=20&q=' + encodeURIComponent(q), {headers: headers(false)}); }
    catch (e) { say('server unreachable', true); return; }
    if (!resp.ok) { say(await problem(resp), true); return; }
    const data = await resp.json();
    list.replaceChildren();
    data.results.forEach((r) => {
      const li = document.createElement('li'), meta = document.createElement('div'), text = document.createElement('div');
      meta.className = 'meta';
      meta.textContent = r.similarity.toFixed(3) + ' · ' + r.source + (r.date ? ' · ' + r.date : '') +
        (r.speaker ? ' · ' + r.speaker : '') + ' · ' + r.id;
      text.textContent = r.text;
      li.append(text, meta); list.append(li);
    });
    say(data.results.length ? data.results.length + ' stored claims' : 'nothing stored matches');
  });
  frame.classList.add('hidden');
})();
