"""Claim frames: a structured reading of each claim (predicates with polarity, agent and patient,
entities with their titles and parties, places, times, directions, quantifiers), from spaCy.

One small interface: `reader(name).attach(claims)` parses claims in a batch; `frame_of(claim)`
returns a claim's frame, parsing it alone if nobody attached one first.
"""
from __future__ import annotations

from .model import EMPTY, Frame, Mention, Predicate, Quantifier
from .parse import DEFAULT_PARSER, FrameReader, check_parser, reader, set_default_parser


def frame_of(claim) -> Frame:
    f = claim.__dict__.get("frame")
    if f is None:
        reader().attach([claim])
        f = claim.__dict__["frame"]
    return f


__all__ = ["DEFAULT_PARSER", "EMPTY", "Frame", "FrameReader", "Mention", "Predicate", "Quantifier", "check_parser",
           "frame_of", "reader", "set_default_parser"]
