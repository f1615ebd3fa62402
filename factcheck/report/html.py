"""One self-contained HTML page (no network): the two articles side by side as a journalist reads
them (mojibake repaired, front matter hidden, Markdown shown as text), each conflicting claim
highlighted in both and numbered like its card in the sidebar; selecting a finding scrolls both
articles to it and draws only its link. Filters by rule and severity; the counts follow them.
Below ~1000 px the columns stack."""
from __future__ import annotations

import bisect
import html
import json
import re

from ..findings import Finding
from . import Report

_CSS = """
:root{--error:#c62828;--warning:#ef8f00;--info:#1565c0;--bg:#fafafa;--ink:#1d1d1d;--head:52px}
*{box-sizing:border-box}body{margin:0;font:15px/1.6 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{min-height:var(--head);padding:10px 18px;background:#263238;color:#fff;display:flex;gap:18px;align-items:center;flex-wrap:wrap;position:sticky;top:0;z-index:5}
header h1{font-size:17px;margin:0;font-weight:600}header .counts span{margin-right:10px}
header label{font-size:13px}header select{margin-left:4px;max-width:260px}
main{display:grid;grid-template-columns:minmax(0,1fr) 56px minmax(0,1fr) 340px;position:relative}
.gutter{background:#eceff1}
.article{padding:14px 22px;white-space:pre-line;overflow-wrap:break-word;border-right:1px solid #ddd;background:#fff;
 height:calc(100vh - var(--head));overflow:auto}
.article h2{white-space:normal;font-size:13px;letter-spacing:.02em;color:#555;margin:0 0 10px;font-weight:600}
.article .title{display:block;font-weight:700;font-size:17px;margin:0 0 .3em}
mark{background:transparent;border-bottom:3px solid;padding:1px 0;cursor:pointer;border-radius:2px;color:inherit}
mark.error{border-color:var(--error);background:#fde7e7}mark.warning{border-color:var(--warning);background:#fff3dc}
mark.info{border-color:var(--info);background:#e3eefc}mark.active{outline:2px solid #000}
mark.hidden{background:transparent;border-color:transparent;cursor:auto}mark.hidden+.nums{display:none}
.nums{font-size:11px;font-weight:700;vertical-align:super;line-height:0;margin-left:1px}
.nums a{color:#fff;background:#455a64;border-radius:8px;padding:0 4px;margin-left:1px;text-decoration:none;cursor:pointer}
.nums a.hidden{display:none}
aside{padding:12px;height:calc(100vh - var(--head));overflow:auto;position:sticky;top:var(--head);align-self:start}
.finding{background:#fff;border-left:5px solid;border-radius:4px;padding:8px 10px;margin-bottom:10px;box-shadow:0 1px 2px rgba(0,0,0,.08);cursor:pointer}
.finding.error{border-color:var(--error)}.finding.warning{border-color:var(--warning)}.finding.info{border-color:var(--info)}
.finding.active{box-shadow:0 0 0 2px #000}
.finding .rule{font-weight:600;font-size:13px;word-break:normal;overflow-wrap:normal;hyphens:none}
.finding .no{display:inline-block;min-width:22px;text-align:center;font-weight:700;font-size:12px;color:#fff;background:#455a64;border-radius:9px;margin-right:6px}
.finding .meta{font-size:12px;color:#555}.finding .msg{margin:4px 0}.finding .ev{font-size:12px}
.finding .claims{font-size:12px;color:#333;margin-top:4px}.finding .claims div{margin-top:3px}
.sev{font-size:11px;font-weight:700;text-transform:uppercase;color:#fff;border-radius:3px;padding:0 5px;margin-right:6px}
.sev.error{background:var(--error)}.sev.warning{background:var(--warning)}.sev.info{background:var(--info)}
svg#links{position:absolute;left:0;top:0;pointer-events:none;overflow:visible}
svg#links line{stroke-width:3;opacity:.9}
.empty{padding:20px;color:#555}
@media (max-width:1000px){
 main{grid-template-columns:minmax(0,1fr)}
 .gutter,svg#links{display:none}
 .article{height:auto;max-height:60vh;border-right:0;border-bottom:1px solid #ddd}
 aside{position:static;height:auto;max-height:none}
 header{position:static}
}
"""

_JS = """
(function(){
const data=JSON.parse(document.getElementById('findings-data').textContent);
const svg=document.getElementById('links'),main=document.querySelector('main');
const ruleSel=document.getElementById('rule-filter'),sevSel=document.getElementById('sev-filter');
const css=getComputedStyle(document.documentElement);
const colors={error:css.getPropertyValue('--error'),warning:css.getPropertyValue('--warning'),info:css.getPropertyValue('--info')};
let current=0;
function visible(f){return (ruleSel.value==='*'||ruleSel.value===f.rule)&&(sevSel.value==='*'||sevSel.value===f.severity);}
function stacked(){return window.matchMedia('(max-width:1000px)').matches;}
// Only the selected finding's link is drawn, so long articles never turn into a bundle of lines.
function draw(){
 if(!svg)return;svg.innerHTML='';
 const f=data[current-1];if(!f||!visible(f)||stacked())return;
 const a=document.getElementById(f.mark_a),b=document.getElementById(f.mark_b);if(!a||!b)return;
 const box=main.getBoundingClientRect();svg.setAttribute('width',box.width);svg.setAttribute('height',box.height);
 const ra=a.getClientRects()[0],rb=b.getClientRects()[0];if(!ra||!rb)return;
 const pa=a.closest('.article').getBoundingClientRect(),pb=b.closest('.article').getBoundingClientRect();
 const clamp=(y,p)=>Math.max(p.top,Math.min(p.bottom,y));
 const l=document.createElementNS('http://www.w3.org/2000/svg','line');
 l.setAttribute('x1',pa.right-box.left);l.setAttribute('y1',clamp(ra.top+ra.height/2,pa)-box.top);
 l.setAttribute('x2',pb.left-box.left);l.setAttribute('y2',clamp(rb.top+rb.height/2,pb)-box.top);
 l.setAttribute('stroke',colors[f.severity]);l.dataset.n=f.n;svg.appendChild(l);
}
function apply(){
 const counts={total:0,error:0,warning:0,info:0};
 data.forEach(f=>{const v=visible(f);document.getElementById('f'+f.n).style.display=v?'':'none';
  if(v){counts.total++;counts[f.severity]++;}});
 document.querySelectorAll('[data-count]').forEach(e=>{const k=e.dataset.count;
  e.textContent=counts[k]+' '+(k==='total'?(counts[k]===1?'finding':'findings'):k);});
 document.querySelectorAll('mark').forEach(m=>{
  const ns=m.dataset.findings.split(' ').map(Number);
  m.classList.toggle('hidden',!ns.some(n=>visible(data[n-1])));});
 document.querySelectorAll('.nums a').forEach(a=>a.classList.toggle('hidden',!visible(data[+a.dataset.n-1])));
 draw();
}
function scrollPane(el){
 const pane=el.closest('.article');if(!pane)return;
 const r=el.getBoundingClientRect(),p=pane.getBoundingClientRect();
 pane.scrollTop+=r.top-p.top-p.height/2+r.height/2;
}
function focus(n,scrollCard){
 current=n;
 document.querySelectorAll('.active').forEach(e=>e.classList.remove('active'));
 const f=data[n-1];
 [f.mark_a,f.mark_b,'f'+n].forEach(id=>{const e=id&&document.getElementById(id);if(e)e.classList.add('active');});
 [f.mark_a,f.mark_b].forEach(id=>{const e=id&&document.getElementById(id);if(e)scrollPane(e);});
 if(scrollCard){const c=document.getElementById('f'+n);if(c)c.scrollIntoView({block:'nearest'});}
 draw();
}
document.querySelectorAll('.finding').forEach(e=>e.addEventListener('click',()=>focus(+e.dataset.n,false)));
document.querySelectorAll('.nums a').forEach(a=>a.addEventListener('click',ev=>{ev.preventDefault();focus(+a.dataset.n,true);}));
document.querySelectorAll('mark').forEach(m=>m.addEventListener('click',()=>{
 const ns=m.dataset.findings.split(' ').map(Number).filter(n=>visible(data[n-1]));if(ns.length)focus(ns[0],true);}));
document.querySelectorAll('.article,aside').forEach(p=>p.addEventListener('scroll',draw,{passive:true}));
ruleSel.addEventListener('change',apply);sevSel.addEventListener('change',apply);
// Filters can come in the address (#severity=error&rule=...), so a filtered view can be shared.
const want=new URLSearchParams(location.hash.slice(1));
if(want.get('rule'))ruleSel.value=want.get('rule');if(want.get('severity'))sevSel.value=want.get('severity');
function layout(){document.body.dataset.layout=stacked()?'stacked':'columns';draw();}
window.addEventListener('resize',layout);layout();apply();
const first=data.find(visible);if(first&&document.querySelector('.article'))focus(first.n,false);
})();
"""


def _esc(s) -> str:
    return html.escape(str(s) if s is not None else "", quote=True)


def _rule_html(rule: str) -> str:
    """Rule ids may wrap after a dot or hyphen, never inside a word."""
    return re.sub(r"([.\-])", r"\1<wbr>", _esc(rule))


def _keep_short_lines(text: str) -> str:
    """Same length: the line break after a short line (a headline, a dateline) becomes \x01, so
    _flow keeps it while joining hard-wrapped prose."""
    lines = text.split("\n")
    for i in range(len(lines) - 1):
        if 0 < len(lines[i].strip()) <= 60 and lines[i + 1].strip():
            lines[i] += "\1"
    out = "\n".join(lines)
    return out.replace("\1\n", "\1")


def _flow(s: str) -> str:
    """Article text as prose: hard-wrapped lines joined, paragraphs kept, blanked markup squeezed."""
    s = re.sub(r"[ \t]*\n[ \t]*\n[\s]*", "\0", s)
    s = re.sub(r"[ \t]*\n[ \t]*", " ", s)
    s = re.sub(r"[ \t]{2,}", " ", s)
    return _esc(s).replace("\0", "\n\n").replace("\1", "\n")


def _to_repaired(doc, offset: int) -> int:
    """Inverse of the repair map (monotonic): where an original offset lands in the shown text."""
    n = len(doc.text)
    lo = bisect.bisect_left(range(n + 1), offset, key=doc.repaired.to_original)
    return min(lo, n)


def _marked(text: str, spans: list[tuple[int, int, str, list[int], str]]) -> str:
    """The shown text with numbered <mark>s; spans are (start, end, severity, finding numbers, id)."""
    out, pos = [], 0
    start_at = len(text) - len(text.lstrip())  # front matter and blank lines before the story
    pos = start_at
    for start, end, sev, nums, ident in sorted(spans):
        if start < pos:
            continue  # overlapping claim spans: keep the first
        out.append(_flow(text[pos:start]))
        badges = "".join(f'<a href="#f{n}" data-n="{n}">{n}</a>' for n in nums)
        out.append(f'<mark id="{ident}" class="{sev}" data-findings="{" ".join(map(str, nums))}">'
                   f'{_flow(text[start:end])}</mark><span class="nums">{badges}</span>')
        pos = end
    out.append(_flow(text[pos:]))
    return "".join(out).lstrip("\n ")


def _sidebar(findings: list[Finding]) -> str:
    items = []
    for n, f in enumerate(findings, 1):
        ev = ", ".join(f"{e.side.upper()}: “{_esc(e.text)}”" for e in f.evidence)
        prior = " (stored prior claim)" if f.prior else ""
        items.append(
            f'<div class="finding {f.severity}" id="f{n}" data-n="{n}" data-rule="{_esc(f.rule)}" '
            f'data-severity="{f.severity}"><div><span class="no">{n}</span><span class="sev {f.severity}">'
            f'{f.severity}</span><span class="rule">{_rule_html(f.rule)}</span></div>'
            f'<div class="msg">{_esc(f.message)}</div>'
            f'<div class="ev">evidence: {ev}</div>'
            f'<div class="meta">confidence {f.confidence:.2f} · similarity {f.similarity:.2f} · {_esc(f.relation)}</div>'
            f'<div class="claims"><div><b>A</b> {_esc(f.a.speaker or "")}{" — " if f.a.speaker else ""}{_esc(f.a.text)}</div>'
            f'<div><b>B</b>{prior} {_esc(f.b.speaker or "")}{" — " if f.b.speaker else ""}{_esc(f.b.text)} '
            f'<i>({_esc(f.b.file or f.b.source)}{", " + _esc(f.b.date) if f.b.date else ""})</i></div></div></div>')
    return "".join(items) or '<div class="empty">No contradictions found.</div>'


def _page(title: str, body: str, findings: list[Finding], marks: dict[int, tuple[str, str]]) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in ("error", "warning", "info")}
    rules = sorted({f.rule for f in findings})
    data = [{"n": n, "rule": f.rule, "severity": f.severity, "mark_a": marks.get(n, ("", ""))[0],
             "mark_b": marks.get(n, ("", ""))[1]} for n, f in enumerate(findings, 1)]
    rule_opts = "".join(f'<option value="{_esc(r)}">{_esc(r)}</option>' for r in rules)
    payload = json.dumps(data).replace("</", "<\\/")
    total = f"{len(findings)} finding{'s' if len(findings) != 1 else ''}"
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width,initial-scale=1"><title>{_esc(title)}</title>'
            f"<style>{_CSS}</style></head><body><header><h1>{_esc(title)}</h1>"
            f'<div class="counts"><span data-count="total">{total}</span>'
            + "".join(f'<span class="sev {s}" data-count="{s}">{counts[s]} {s}</span>' for s in counts) +
            f'</div><label>Rule<select id="rule-filter"><option value="*">all rules</option>{rule_opts}</select></label>'
            f'<label>Severity<select id="sev-filter"><option value="*">all</option><option>error</option>'
            f"<option>warning</option><option>info</option></select></label></header>"
            f'{body}<script type="application/json" id="findings-data">{payload}</script><script>{_JS}</script>'
            f"</body></html>\n")


def render(report: Report) -> str:
    """Compare (two documents): both articles side by side; check: the findings alone."""
    if len(report.documents) == 2:
        return render_comparison(*report.documents, list(report.findings), title=report.title)
    return render_findings(list(report.findings), title=report.title)


def render_comparison(doc_a, doc_b, findings: list[Finding], title: str = "factcheck compare") -> str:
    spans: dict[str, dict[str, list]] = {"a": {}, "b": {}}
    marks: dict[int, tuple[str, str]] = {}
    docs = {"a": doc_a, "b": doc_b}
    for n, f in enumerate(findings, 1):
        ids = []
        for side, claim in (("a", f.a), ("b", f.b)):
            if f.prior and side == "b":
                ids.append("")
                continue
            # A claim of article B may sit on side A of a DB finding: place it by its source.
            target = "a" if claim.source == doc_a.source else "b"
            doc = docs[target]
            entry = spans[target].setdefault(claim.id, [_to_repaired(doc, claim.start), _to_repaired(doc, claim.end),
                                                        f.severity, [], f"m{target}-{claim.id}"])
            entry[3].append(n)
            if _rank(f.severity) > _rank(entry[2]):
                entry[2] = f.severity
            ids.append(entry[4])
        marks[n] = (ids[0], ids[1])
    cols = []
    for side, doc in docs.items():
        body = _marked(_keep_short_lines(doc.text), [tuple(v) for v in spans[side].values()])
        cols.append(f'<section class="article" id="article-{side}"><h2>{side.upper()}: {_esc(doc.source)}'
                    f'{" · " + _esc(doc.date) if doc.date else ""}</h2>{body}</section>')
    body = (f'<main>{cols[0]}<div class="gutter"></div>{cols[1]}<aside id="findings">{_sidebar(findings)}</aside>'
            f'<svg id="links" aria-hidden="true"></svg></main>')
    return _page(title, body, findings, marks)


def render_findings(findings: list[Finding], title: str = "factcheck check") -> str:
    """For `check`: no articles to show, so the sidebar takes the page."""
    body = (f'<main style="grid-template-columns:1fr"><aside id="findings" style="position:static;height:auto">'
            f'{_sidebar(findings)}</aside><svg id="links" aria-hidden="true"></svg></main>')
    return _page(title, body, findings, {})


def _rank(sev: str) -> int:
    return {"info": 0, "warning": 1, "error": 2}[sev]
