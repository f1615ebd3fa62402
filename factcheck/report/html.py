"""One self-contained HTML page (no network): the two articles side by side, each conflicting
claim highlighted in both with a line linking the pair, coloured by severity, and a sidebar of
findings with filters by rule, severity and relation.

`panes=True` (the service's page) scrolls each article on its own, so clicking a finding brings
both claims into view at once; the static file keeps one page scroll."""
from __future__ import annotations

import html
import json

from ..findings import Finding

_CSS = """
:root{--error:#c62828;--warning:#ef8f00;--info:#1565c0;--bg:#fafafa;--ink:#1d1d1d}
*{box-sizing:border-box}body{margin:0;font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{padding:10px 18px;background:#263238;color:#fff;display:flex;gap:18px;align-items:center;flex-wrap:wrap}
header h1{font-size:17px;margin:0;font-weight:600}header .counts span{margin-right:10px}
header label{font-size:13px}header select{margin-left:4px}
main{display:grid;grid-template-columns:minmax(0,1fr) 64px minmax(0,1fr) 340px;gap:0;position:relative}
.gutter{background:#eceff1}
.article{padding:14px 22px;white-space:pre-wrap;word-wrap:break-word;border-right:1px solid #ddd;background:#fff}
.article h2{white-space:normal;font-size:13px;letter-spacing:.02em;color:#555;margin:0 0 10px;font-weight:600}
mark{background:transparent;border-bottom:3px solid;padding:1px 0;cursor:pointer;border-radius:2px}
mark.error{border-color:var(--error);background:#fde7e7}mark.warning{border-color:var(--warning);background:#fff3dc}
mark.info{border-color:var(--info);background:#e3eefc}mark.active{outline:2px solid #000}
mark.hidden{background:transparent;border-color:transparent;cursor:auto}
aside{padding:12px;max-height:100vh;overflow:auto;position:sticky;top:0;align-self:start}
.finding{background:#fff;border-left:5px solid;border-radius:4px;padding:8px 10px;margin-bottom:10px;box-shadow:0 1px 2px rgba(0,0,0,.08);cursor:pointer}
.finding.error{border-color:var(--error)}.finding.warning{border-color:var(--warning)}.finding.info{border-color:var(--info)}
.finding.active{box-shadow:0 0 0 2px #000}.finding .rule{font-weight:600;font-size:13px;word-break:break-all}
.finding .meta{font-size:12px;color:#555}.finding .msg{margin:4px 0}.finding .ev{font-size:12px}
.finding .claims{font-size:12px;color:#333;margin-top:4px}.finding .claims div{margin-top:3px}
.sev{font-size:11px;font-weight:700;text-transform:uppercase;color:#fff;border-radius:3px;padding:0 5px;margin-right:6px}
.sev.error{background:var(--error)}.sev.warning{background:var(--warning)}.sev.info{background:var(--info)}
svg#links{position:absolute;left:0;top:0;pointer-events:none;overflow:visible}
svg#links line{stroke-width:2;opacity:.55}svg#links line.active{stroke-width:3.5;opacity:.95}
.empty{padding:20px;color:#555}
body.panes main{height:calc(100vh - 52px)}body.panes .article,body.panes aside{height:calc(100vh - 52px);max-height:none;overflow:auto}
.archive-claim{display:block;margin-bottom:12px}.archive-claim .where{font-size:12px;color:#555;display:block}
"""

_JS = """
(function(){
const data=JSON.parse(document.getElementById('findings-data').textContent);
const svg=document.getElementById('links'),main=document.querySelector('main');
const ruleSel=document.getElementById('rule-filter'),sevSel=document.getElementById('sev-filter'),relSel=document.getElementById('rel-filter');
const panes=document.body.classList.contains('panes');let current=0;
const colors={error:getComputedStyle(document.documentElement).getPropertyValue('--error'),
 warning:getComputedStyle(document.documentElement).getPropertyValue('--warning'),
 info:getComputedStyle(document.documentElement).getPropertyValue('--info')};
function visible(f){return (ruleSel.value==='*'||ruleSel.value===f.rule)&&(sevSel.value==='*'||sevSel.value===f.severity)&&(relSel.value==='*'||relSel.value===f.relation);}
function inView(m,col){const r=m.getBoundingClientRect(),c=col.getBoundingClientRect();return r.bottom>=c.top&&r.top<=c.bottom;}
function draw(){
 const box=main.getBoundingClientRect();svg.setAttribute('width',box.width);svg.setAttribute('height',box.height);
 svg.innerHTML='';
 data.forEach(f=>{
  if(!visible(f))return;
  const a=document.getElementById(f.mark_a),b=document.getElementById(f.mark_b);if(!a||!b)return;
  const ra=a.getClientRects()[0],rb=b.getClientRects()[0];if(!ra||!rb)return;
  // Lines run in the gutter between the columns, from each highlight's row, so no text is crossed.
  const pa=a.closest('.article'),pb=b.closest('.article');
  if(pa===pb)return;  // both claims in one column (a draft against itself): the highlights say it
  if(panes&&!(inView(a,pa)&&inView(b,pb)))return;
  const ca=pa.getBoundingClientRect(),cb=pb.getBoundingClientRect();
  const left=ca.right<=cb.left?[ca,ra,cb,rb]:[cb,rb,ca,ra];
  const l=document.createElementNS('http://www.w3.org/2000/svg','line');
  l.setAttribute('x1',left[0].right-box.left);l.setAttribute('y1',left[1].top+left[1].height/2-box.top);
  l.setAttribute('x2',left[2].left-box.left);l.setAttribute('y2',left[3].top+left[3].height/2-box.top);
  l.setAttribute('stroke',colors[f.severity]);l.dataset.n=f.n;if(f.n===current)l.classList.add('active');svg.appendChild(l);});
}
function apply(){
 data.forEach(f=>{document.getElementById('f'+f.n).style.display=visible(f)?'':'none';});
 document.querySelectorAll('mark').forEach(m=>{
  const ns=m.dataset.findings.split(' ').map(Number);
  m.classList.toggle('hidden',!ns.some(n=>visible(data[n-1])));});
 draw();
}
function focus(n){
 current=n;document.querySelectorAll('.active').forEach(e=>e.classList.remove('active'));
 const f=data[n-1];[f.mark_a,f.mark_b,'f'+n].forEach(id=>{const e=document.getElementById(id);if(e)e.classList.add('active');});
 svg.querySelectorAll('line').forEach(l=>l.classList.toggle('active',l.dataset.n==n));
}
document.querySelectorAll('.finding').forEach(e=>e.addEventListener('click',()=>{const n=+e.dataset.n;focus(n);
 const a=document.getElementById(data[n-1].mark_a),b=document.getElementById(data[n-1].mark_b);
 if(a)a.scrollIntoView({block:'center'});
 if(panes&&b&&(!a||b.closest('.article')!==a.closest('.article')))b.scrollIntoView({block:'center'});
 draw();}));
document.querySelectorAll('mark').forEach(m=>m.addEventListener('click',()=>{const n=+m.dataset.findings.split(' ')[0];
 focus(n);document.getElementById('f'+n).scrollIntoView({block:'nearest'});}));
ruleSel.addEventListener('change',apply);sevSel.addEventListener('change',apply);relSel.addEventListener('change',apply);
document.querySelectorAll('.article').forEach(c=>c.addEventListener('scroll',draw));
window.addEventListener('resize',draw);window.addEventListener('load',draw);apply();
})();
"""


def _esc(s) -> str:
    return html.escape(str(s) if s is not None else "", quote=True)


def _marked(text: str, spans: list[tuple[int, int, str, list[int], str]]) -> str:
    """The article text with <mark>s; spans are (start, end, severity, finding numbers, id)."""
    out, pos = [], 0
    for start, end, sev, nums, ident in sorted(spans):
        if start < pos:
            continue  # overlapping claim spans: keep the first
        out.append(_esc(text[pos:start]))
        out.append(f'<mark id="{_esc(ident)}" class="{sev}" data-findings="{" ".join(map(str, nums))}">'
                   f"{_esc(text[start:end])}</mark>")
        pos = end
    out.append(_esc(text[pos:]))
    return "".join(out)


def _sidebar(findings: list[Finding]) -> str:
    items = []
    for n, f in enumerate(findings, 1):
        ev = ", ".join(f"{e.side.upper()}: “{_esc(e.text)}”" for e in f.evidence)
        prior = " (stored prior claim)" if f.prior else ""
        items.append(
            f'<div class="finding {f.severity}" id="f{n}" data-n="{n}" data-rule="{_esc(f.rule)}" '
            f'data-severity="{f.severity}" data-relation="{_esc(f.relation)}"><div><span class="sev {f.severity}">{f.severity}</span>'
            f'<span class="rule">{_esc(f.rule)}</span></div><div class="msg">{_esc(f.message)}</div>'
            f'<div class="ev">evidence: {ev}</div>'
            f'<div class="meta">confidence {f.confidence:.2f} · similarity {f.similarity:.2f} · {_esc(f.relation)}</div>'
            f'<div class="claims"><div><b>A</b> {_esc(f.a.speaker or "")}{" — " if f.a.speaker else ""}{_esc(f.a.text)}</div>'
            f'<div><b>B</b>{prior} {_esc(f.b.speaker or "")}{" — " if f.b.speaker else ""}{_esc(f.b.text)} '
            f'<i>({_esc(f.b.file or f.b.source)}{", " + _esc(f.b.date) if f.b.date else ""})</i></div></div></div>')
    return "".join(items) or '<div class="empty">No contradictions found.</div>'


def _page(title: str, body: str, findings: list[Finding], marks: dict[int, tuple[str, str]], panes: bool = False) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    rules = sorted({f.rule for f in findings})
    data = [{"n": n, "rule": f.rule, "severity": f.severity, "relation": f.relation, "mark_a": marks.get(n, ("", ""))[0],
             "mark_b": marks.get(n, ("", ""))[1]} for n, f in enumerate(findings, 1)]
    rule_opts = "".join(f'<option value="{_esc(r)}">{_esc(r)}</option>' for r in rules)
    payload = json.dumps(data).replace("</", "<\\/")
    body_class = ' class="panes"' if panes else ""
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{_esc(title)}</title>'
            f"<style>{_CSS}</style></head><body{body_class}><header><h1>{_esc(title)}</h1>"
            f'<div class="counts"><span>{len(findings)} findings</span>'
            + "".join(f'<span class="sev {s}">{counts[s]} {s}</span>' for s in counts) +
            f'</div><label>Rule<select id="rule-filter"><option value="*">all rules</option>{rule_opts}</select></label>'
            f'<label>Severity<select id="sev-filter"><option value="*">all</option><option>error</option>'
            f"<option>warning</option><option>info</option></select></label>"
            f'<label>Relation<select id="rel-filter"><option value="*">all</option><option>self-contradiction</option>'
            f"<option>dispute</option><option>update</option></select></label></header>"
            f'{body}<script type="application/json" id="findings-data">{payload}</script><script>{_JS}</script>'
            f"</body></html>\n")


def render_comparison(doc_a, doc_b, findings: list[Finding], title: str = "factcheck compare",
                      panes: bool = False) -> str:
    spans: dict[str, dict[str, list]] = {"a": {}, "b": {}}
    marks: dict[int, tuple[str, str]] = {}
    for n, f in enumerate(findings, 1):
        ids = []
        for side, claim, doc in (("a", f.a, doc_a), ("b", f.b, doc_b)):
            if f.prior and side == "b":
                ids.append("")
                continue
            # A claim of article B may sit on side A of a DB finding: place it by its source.
            target = "a" if claim.source == doc_a.source else "b"
            key = claim.id
            entry = spans[target].setdefault(key, [claim.start, claim.end, f.severity, [], f"m{target}-{key}"])
            entry[3].append(n)
            if _rank(f.severity) > _rank(entry[2]):
                entry[2] = f.severity
            ids.append(entry[4])
        marks[n] = (ids[0], ids[1])
    cols = []
    for side, doc in (("a", doc_a), ("b", doc_b)):
        body = _marked(doc.original, [tuple(v) for v in spans[side].values()])
        cols.append(f'<section class="article" id="article-{side}"><h2>{side.upper()}: {_esc(doc.source)}'
                    f'{" · " + _esc(doc.date) if doc.date else ""}</h2>{body}</section>')
    body = (f'<main>{cols[0]}<div class="gutter"></div>{cols[1]}<aside id="findings">{_sidebar(findings)}</aside>'
            f'<svg id="links" aria-hidden="true"></svg></main>')
    return _page(title, body, findings, marks, panes)


def render_draft(doc, findings: list[Finding], title: str = "factcheck check") -> str:
    """A draft checked against itself and the archive: the draft on the left, the stored claims
    it conflicts with on the right (with source and date), each pair highlighted and linked."""
    spans: dict[str, list] = {}
    marks: dict[int, tuple[str, str]] = {}
    archive: dict[str, list] = {}  # prior claim id -> [claim, severity, finding numbers]
    for n, f in enumerate(findings, 1):
        ids = []
        for side, claim in (("a", f.a), ("b", f.b)):
            if f.prior and side == "b":
                entry = archive.setdefault(claim.id, [claim, f.severity, []])
                entry[2].append(n)
                if _rank(f.severity) > _rank(entry[1]):
                    entry[1] = f.severity
                ids.append(f"mb-{claim.id}")
                continue
            entry = spans.setdefault(claim.id, [claim.start, claim.end, f.severity, [], f"ma-{claim.id}"])
            entry[3].append(n)
            if _rank(f.severity) > _rank(entry[2]):
                entry[2] = f.severity
            ids.append(entry[4])
        marks[n] = (ids[0], ids[1])
    left = _marked(doc.original, [tuple(v) for v in spans.values()])
    right = "".join(
        f'<span class="archive-claim"><span class="where">{_esc(c.source)}{" · " + _esc(c.date) if c.date else ""}'
        f'{" · " + _esc(c.speaker) if c.speaker else ""}</span><mark id="mb-{_esc(c.id)}" class="{sev}" '
        f'data-findings="{" ".join(map(str, nums))}">{_esc(c.text)}</mark></span>'
        for c, sev, nums in archive.values()) or '<div class="empty">No stored claim conflicts with this draft.</div>'
    body = (f'<main><section class="article" id="article-a"><h2>DRAFT: {_esc(doc.source)}</h2>{left}</section>'
            f'<div class="gutter"></div><section class="article" id="article-b" style="white-space:normal">'
            f'<h2>ARCHIVE: stored claims in conflict</h2>{right}</section>'
            f'<aside id="findings">{_sidebar(findings)}</aside><svg id="links" aria-hidden="true"></svg></main>')
    return _page(title, body, findings, marks, panes=True)


def render_findings(findings: list[Finding], title: str = "factcheck check") -> str:
    """For `check`: no articles to show, so the sidebar takes the page."""
    body = (f'<main style="grid-template-columns:1fr"><aside id="findings" style="position:static;max-height:none">'
            f'{_sidebar(findings)}</aside><svg id="links" aria-hidden="true"></svg></main>')
    return _page(title, body, findings, {})


def _rank(sev: str) -> int:
    return {"info": 0, "warning": 1, "error": 2}[sev]
