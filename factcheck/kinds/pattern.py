from __future__ import annotations

import re

from ..claims import Claim
from .base import Evidence, Match, RuleKind, register, shared_content

# A quantified group that itself contains a quantifier, "(a+)+" or "(\w*)*": exponential in
# backtracking engines. RE2 runs it in linear time, but rule files must be safe wherever they go.
_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")
_OVERLAP_ALT = re.compile(r"\(([^()|]+)\|\1\)[+*]")


def compile_pattern(pattern: str, ignore_case: bool = True):
    import re2

    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.log_errors = False
    return re2.compile(pattern, options)


def pattern_problem(pattern: str) -> str | None:
    if _NESTED.search(pattern) or _OVERLAP_ALT.search(pattern):
        return "catastrophic pattern: a repeated group contains a repetition (e.g. '(a+)+'); rewrite without nesting"
    try:
        compile_pattern(pattern)
    except Exception as exc:  # re2.error and friends
        arg = exc.args[0] if exc.args else exc.__class__.__name__
        msg = arg.decode(errors="replace") if isinstance(arg, bytes) else str(arg)
        return f"pattern does not compile in the linear-time engine (no look-around or back-references): {msg}"
    return None


@register
class Pattern(RuleKind):
    """Author-written regular expressions: A matches pattern `a` and B matches pattern `b`.

    Patterns run in RE2 (linear time), so no input can make a check hang.
    """

    name = "pattern"
    summary = "claim A matches one regular expression and claim B the other"
    default_min_similarity = 0.5
    symmetric = False
    required = ("a", "b")
    schema = {
        "a": {"type": "string", "minLength": 1, "description": "RE2 regular expression for one claim."},
        "b": {"type": "string", "minLength": 1, "description": "RE2 regular expression for the other claim."},
        "ignore_case": {"type": "boolean", "default": True},
        "min_shared": {"type": "integer", "minimum": 0, "default": 1,
                       "description": "Content lemmas both claims must share (same subject)."},
    }
    template = """\
  - id: my-pattern-rule
    kind: pattern
    description: A ceasefire reported as holding on one side and as collapsed on the other.
    severity: warning
    a: "cease-?fire (?:is )?holding"
    b: "cease-?fire (?:has )?collapsed"
    examples:
      fire:
        - ["The ceasefire is holding in the east.", "The ceasefire has collapsed in the east."]
      quiet:
        - ["The ceasefire is holding in the east.", "The ceasefire is holding in the south."]
"""

    @classmethod
    def problems(cls, params):
        out = []
        for key in ("a", "b"):
            if isinstance(params.get(key), str):
                msg = pattern_problem(params[key])
                if msg:
                    out.append(((key,), msg))
        return out

    def __init__(self, params):
        super().__init__(params)
        ic = params.get("ignore_case", True)
        self.a = compile_pattern(params["a"], ic)
        self.b = compile_pattern(params["b"], ic)
        self.min_shared = params.get("min_shared", 1)

    def gate(self, claim: Claim) -> bool:
        """Tried both ways, a match needs each claim to hold one of the two patterns."""
        return bool(self.a.search(claim.text) or self.b.search(claim.text))

    def check(self, a: Claim, b: Claim) -> Match | None:
        ma = self.a.search(a.text)
        mb = self.b.search(b.text) if ma else None
        if not (ma and mb):
            return None
        if self.b.search(a.text) or self.a.search(b.text):
            return None  # each claim holds both: nothing to oppose
        if len(shared_content(a, b)) < self.min_shared:
            return None
        return Match(f"'{ma.group(0)}' vs '{mb.group(0)}'",
                     [Evidence("a", ma.group(0), ma.start(), ma.end()), Evidence("b", mb.group(0), mb.start(), mb.end())],
                     0.8)
