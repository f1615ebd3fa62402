"""The Finding record: what the user sees, in every output format."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .claims import Claim
from .kinds import Evidence

RELATIONS = ("self-contradiction", "dispute", "update")


@dataclass
class Finding:
    rule: str
    kind: str
    severity: str
    message: str
    confidence: float
    similarity: float
    a: Claim
    b: Claim
    evidence: list[Evidence] = field(default_factory=list)
    relation: str = "dispute"
    related_rules: list[str] = field(default_factory=list)
    prior: bool = False  # b is a stored prior claim from the claims database
    verifier: dict | None = None  # the learned verifier's scores and verdict, when one ran on the pair

    @property
    def location(self):
        """A finding is reported where claim A is (B is its related location)."""
        return self.a.location

    def to_dict(self) -> dict:
        return {
            "rule": self.rule,
            "kind": self.kind,
            "severity": self.severity,
            "message": self.message,
            "confidence": self.confidence,
            "similarity": round(self.similarity, 4),
            "relation": self.relation,
            "a": _claim_dict(self.a),
            "b": _claim_dict(self.b),
            "evidence": [e.to_dict() for e in self.evidence],
            "related_rules": self.related_rules,
            "prior": self.prior,
            **({"verifier": self.verifier} if self.verifier is not None else {}),
        }


def _claim_dict(c: Claim) -> dict:
    return {"id": c.id, "text": c.text, "source": c.source, "start": c.start, "end": c.end,
            "line": c.line, "column": c.column, "end_line": c.end_line, "end_column": c.end_column,
            "speaker": c.speaker, "date": c.date}


def _speaker_key(speaker: str | None) -> str | None:
    if not speaker:
        return None
    words = re.findall(r"[A-Za-z]+", speaker)
    return words[-1].lower() if words else None


def classify(a: Claim, b: Claim) -> str:
    """Self-contradiction (same speaker, or same source when speakers are unknown), a dispute
    between different speakers or sources, or a possible update (same voice, later date)."""
    ka, kb = _speaker_key(a.speaker), _speaker_key(b.speaker)
    if ka and kb:
        same = ka == kb
    else:
        same = a.source == b.source
    if not same:
        return "dispute"
    if a.date and b.date and a.date != b.date:
        return "update"
    return "self-contradiction"
