"""The optional learned verifier, exercised with tiny models built here: random weights, a small
WordLevel tokenizer, an ONNX graph written with onnx.helper (static and dynamic lengths, 2- and
3-class heads) and a tiny BERT CrossEncoder. One planted word ("zorbled") pushes the score to
contradiction and one ("indeed") away from it, so loading, static shapes, batching, caching,
calibration and the combination with the rules can be checked for behaviour. Quality is
measured in bench/bench_verifier.py with a real model, never here."""
from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, run_cli

WORDS = ("the council zorbled approved rejected budget plan on monday tuesday mayor said indeed police "
         "reported that people were evacuated from city fire broke out at a chemical plant in north river "
         "talks will resume next week minister of finance rose fell by percent markets closed higher lower "
         "ten twenty troops withdrew stayed kyiv").split()
TRIGGER, CALM, MILD = "zorbled", "indeed", "rejected"


def build_tokenizer(path: Path) -> None:
    from tokenizers import Tokenizer, normalizers, pre_tokenizers, processors
    from tokenizers.models import WordLevel

    vocab = {"[PAD]": 0, "[UNK]": 1, "[CLS]": 2, "[SEP]": 3}
    for w in WORDS:
        vocab.setdefault(w, len(vocab))
    tok = Tokenizer(WordLevel(vocab, unk_token="[UNK]"))
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.post_processor = processors.TemplateProcessing(single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1",
                                                       special_tokens=[("[CLS]", 2), ("[SEP]", 3)])
    tok.save(str(path))


def build_onnx(directory: Path, length: int | str = 16, classes: int = 2, seed: int = 0, token_types: bool = True,
               max_length: int | None = None) -> Path:
    """Embedding bag (hypothesis tokens weigh double: the model is asymmetric) -> linear head."""
    import onnx
    from onnx import TensorProto, helper, numpy_helper

    directory.mkdir(parents=True, exist_ok=True)
    build_tokenizer(directory / "tokenizer.json")
    vocab = json.loads((directory / "tokenizer.json").read_text())["model"]["vocab"]
    rng = np.random.default_rng(seed)
    dim = 8
    emb = rng.normal(0, 0.05, (len(vocab), dim)).astype("float32")
    emb[:, 0] = 0.0
    emb[vocab[TRIGGER], 0], emb[vocab[CALM], 0], emb[vocab[MILD], 0] = 3.0, -3.0, 0.4
    head = rng.normal(0, 0.05, (dim, classes)).astype("float32")
    contra = classes - 1
    head[0, :] = -1.5
    head[0, contra] = 1.5
    inits = [numpy_helper.from_array(emb, "E"), numpy_helper.from_array(head, "W"),
             numpy_helper.from_array(np.zeros(classes, "float32"), "bias"),
             numpy_helper.from_array(np.array([2], "int64"), "ax2"), numpy_helper.from_array(np.array([1], "int64"), "ax1"),
             numpy_helper.from_array(np.array(1.0, "float32"), "one")]
    nodes = [helper.make_node("Gather", ["E", "input_ids"], ["emb"]),
             helper.make_node("Cast", ["attention_mask"], ["maskf"], to=TensorProto.FLOAT)]
    weight = "maskf"
    if token_types:
        nodes += [helper.make_node("Cast", ["token_type_ids"], ["typef"], to=TensorProto.FLOAT),
                  helper.make_node("Add", ["typef", "one"], ["typew"]),
                  helper.make_node("Mul", ["maskf", "typew"], ["w"])]
        weight = "w"
    nodes += [helper.make_node("Unsqueeze", [weight, "ax2"], ["w3"]),
              helper.make_node("Mul", ["emb", "w3"], ["weighted"]),
              helper.make_node("ReduceSum", ["weighted", "ax1"], ["pooled"], keepdims=0),
              helper.make_node("MatMul", ["pooled", "W"], ["mm"]),
              helper.make_node("Add", ["mm", "bias"], ["logits"])]
    names = ["input_ids", "attention_mask"] + (["token_type_ids"] if token_types else [])
    inputs = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", length]) for n in names]
    graph = helper.make_graph(nodes, "tiny-nli", inputs,
                              [helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", classes])], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)])
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, str(directory / "model.onnx"))
    labels = {2: ["other", "contradiction"], 3: ["entailment", "neutral", "contradiction"]}[classes]
    config = {"id2label": {str(i): lab for i, lab in enumerate(labels)}}
    if max_length:
        config["max_length"] = max_length
    (directory / "config.json").write_text(json.dumps(config))
    return directory


@pytest.fixture()
def model_dir(tmp_path: Path) -> Path:
    return build_onnx(tmp_path / "tiny-nli")


def verifier(directory: Path, **kw):
    from factcheck.verifier import Verifier

    kw.setdefault("cache", directory.parent / "scores.sqlite")
    return Verifier(directory, **kw)


# -- loading, static shapes, heads ----------------------------------------------------------------
def test_static_length_from_graph_and_long_inputs_truncated(model_dir: Path):
    v = verifier(model_dir)
    assert v.backend.static_length == 16 and v.backend.max_length == 16
    long = " ".join(["the council approved the budget plan"] * 12)
    (p,) = v.score_pairs([(long, "the mayor " + TRIGGER + " the plan")])
    assert 0.0 <= p.forward <= 1.0 and p.backward is not None


def test_dynamic_length_uses_config_max_length(tmp_path: Path):
    v = verifier(build_onnx(tmp_path / "dyn", length="seq", max_length=24))
    assert v.backend.static_length is None and v.backend.max_length == 24
    short = ("the council approved the plan", "the council " + TRIGGER + " the plan")
    alone = v.score_pairs([short], both_ways=False)[0].forward
    mixed = v.score_pairs([(" ".join(["budget"] * 40), "plan"), short], both_ways=False)[1].forward
    assert alone == pytest.approx(mixed, abs=1e-6)  # padding to a longer batch does not change a score


@pytest.mark.parametrize("classes", [2, 3])
def test_contradiction_label_is_the_one_scored(tmp_path: Path, classes: int):
    v = verifier(build_onnx(tmp_path / f"h{classes}", classes=classes, token_types=False))
    hi, lo = v.score_pairs([("the council approved the plan", f"the council {TRIGGER} the plan"),
                            ("the council approved the plan", f"the council {CALM} approved the plan")])
    assert v.backend.classes == classes
    assert hi.value > 0.9 and lo.value < 0.1


def test_scores_both_orders_where_the_model_is_asymmetric(model_dir: Path):
    (p,) = verifier(model_dir).score_pairs([("the council approved the plan", f"the mayor {MILD} the plan")])
    assert p.backward is not None and p.forward != pytest.approx(p.backward, abs=1e-3)
    assert p.value == pytest.approx((p.forward + p.backward) / 2)
    cfg = json.loads((model_dir / "config.json").read_text())
    (model_dir / "config.json").write_text(json.dumps({**cfg, "symmetric": True}))
    (q,) = verifier(model_dir, cache=None).score_pairs([("the council approved the plan", f"the mayor {MILD} the plan")])
    assert q.backward is None


def test_batches_and_padding_do_not_change_scores(model_dir: Path):
    pairs = [(f"the council approved the plan {'on monday ' * (i % 5)}", f"the mayor {WORDS[i % len(WORDS)]} it")
             for i in range(70)]
    v = verifier(model_dir, cache=None, batch_size=32)
    batched = v.score_pairs(pairs, both_ways=False)
    assert v.backend.calls == 3  # 70 readings in batches of 32
    one = verifier(model_dir, cache=None, batch_size=1)
    single = [one.score_pairs([p], both_ways=False)[0].forward for p in pairs[:10]]
    assert [b.forward for b in batched[:10]] == pytest.approx(single, abs=1e-6)


def test_cache_by_pair_hash_skips_the_model_on_rerun(model_dir: Path, tmp_path: Path):
    cache = tmp_path / "c" / "scores.sqlite"
    pairs = [("the council approved the plan", f"the council {TRIGGER} the plan"), ("a fire broke out", "talks resume")]
    first = verifier(model_dir, cache=cache)
    a = first.score_pairs(pairs)
    assert first.stats.scored == 4 and first.stats.cached == 0
    again = verifier(model_dir, cache=cache)
    b = again.score_pairs(pairs)
    assert again.stats.scored == 0 and again.stats.cached == 4 and again.backend.calls == 0
    assert [x.value for x in a] == [x.value for x in b]
    con = sqlite3.connect(cache)  # plain rows, nothing to unpickle
    assert con.execute("SELECT typeof(key), typeof(p), count(*) FROM scores").fetchone() == ("text", "real", 4)
    other = verifier(build_onnx(tmp_path / "other", seed=7), cache=cache)
    other.score_pairs(pairs)
    assert other.stats.scored == 4  # a different model never reuses these scores


def test_unwritable_cache_is_skipped_not_fatal(model_dir: Path, tmp_path: Path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    v = verifier(model_dir, cache=blocker / "scores.sqlite")
    assert v.score_pairs([("a fire broke out", "talks resume")]) and "cache off" in v.describe()


# -- the combination (pure) ------------------------------------------------------------------------
def _score(value: float):
    from factcheck.verifier import PairScore

    return PairScore(value, value, value)


def _rule_finding(a, b):
    from factcheck.findings import Finding

    return Finding(rule="negation.x", kind="negation", severity="error", message="m", confidence=0.9,
                   similarity=0.8, a=a, b=b)


def test_verifier_finding_is_explained_with_score_words_and_spans():
    from factcheck.claims import Claim
    from factcheck.verifier import Calibration
    from factcheck.verifier.combine import combine

    a = Claim("Shares of Acme rose 5 percent on Monday.", source="a")
    b = Claim("Shares of Acme slumped 5 percent on Monday.", source="b")
    cal = Calibration(threshold=0.8, min_similarity=0.5)
    f = combine(a, b, 0.9, None, _score(0.93), cal)
    assert f.kind == "verifier" and f.rule == "verifier" and f.severity == "warning"
    assert "0.93" in f.message and "'rose'" in f.message and "'slumped'" in f.message
    sides = {e.side: e for e in f.evidence}
    assert a.text[sides["a"].start:sides["a"].end] == "rose" and b.text[sides["b"].start:sides["b"].end] == "slumped"
    assert f.verifier["verdict"] == "added" and f.to_dict()["verifier"]["score"] == 0.93
    assert combine(a, b, 0.9, None, _score(0.7), cal) is None  # not confident enough
    assert combine(a, b, 0.4, None, _score(0.99), cal) is None  # below the verifier's similarity floor


def test_learned_combiner_bars_veto_and_long_premises():
    """A hand-set combiner (P rises with the model's logit only): a silent pair is added at
    add_at and explained by P and the differing words; a rule finding under its kind's keep bar
    is demoted; a pair whose premise is much longer than its hypothesis is judged by the model's
    own score at its own bar."""
    from factcheck.claims import Claim
    from factcheck.verifier import Calibration, PairScore
    from factcheck.verifier.combine import combine
    from factcheck.verifier.learned import Combiner

    comb = Combiner(["logit_max"], [0.0], [1.0], [1.0], 0.0, add_at=0.9, keep_at=0.2, kind_keep={"date": 0.0},
                    long_words=6, add_at_long=0.99, long_by_score=True)
    cal = Calibration(learned=comb.to_dict())
    a, b = Claim("Shares of Acme rose 5 percent on Monday."), Claim("Shares of Acme slumped 5 percent on Monday.")
    found = combine(a, b, 0.9, None, PairScore(0.95, 0.95, 0.95), cal)  # P = 0.95 >= 0.9
    assert found.kind == "verifier" and "P(contradiction) 0.95" in found.message and "'slumped'" in found.message
    assert found.verifier["combined"] == 0.95
    assert combine(a, b, 0.9, None, PairScore(0.85, 0.85, 0.85), cal) is None
    demoted = combine(a, b, 0.9, _rule_finding(a, b), PairScore(0.1, 0.1, 0.1), cal)
    assert demoted.severity == "info" and "P(contradiction) 0.10 < 0.20" in demoted.message
    dated = _rule_finding(a, b)
    dated.kind = "date"
    assert combine(a, b, 0.9, dated, PairScore(0.1, 0.1, 0.1), cal).severity == "error"  # its kind never vetoed
    long_a = Claim("Shares of Acme, the maker of anvils and rockets based in Phoenix, rose 5 percent on Monday.")
    assert combine(long_a, b, 0.9, None, PairScore(0.95, 0.95, 0.95), cal) is None  # the long bar: 0.99
    got = combine(long_a, b, 0.9, None, PairScore(0.995, 0.995, 0.995), cal)
    assert got is not None and "the model's score (long premise) 0.995 >= 0.990" in got.message


def test_one_sided_difference_is_shown_on_both_claims():
    from factcheck.claims import Claim
    from factcheck.verifier.combine import differences

    ev, words = differences(Claim("The talks will resume next week."), Claim("The talks will not resume next week."))
    assert words == "A 'resume' / B 'not resume'" and [(e.side, e.text) for e in ev] == [("a", "resume"),
                                                                                          ("b", "not resume")]


@pytest.mark.parametrize("mode,expect", [("demote", "info"), ("drop", None), ("off", "error")])
def test_confident_no_demotes_or_drops_a_rule_finding(mode: str, expect):
    from factcheck.claims import Claim
    from factcheck.verifier import Calibration
    from factcheck.verifier.combine import combine

    a, b = Claim("The plant was closed."), Claim("The plant was not closed.")
    cal = Calibration(veto_threshold=0.05, veto=mode)
    f = combine(a, b, 0.9, _rule_finding(a, b), _score(0.01), cal)
    assert (f.severity if f else None) == expect
    if mode == "demote":
        assert "demoted" in f.message and f.verifier["verdict"] == "demoted"
    kept = combine(a, b, 0.9, _rule_finding(a, b), _score(0.3), cal)  # unsure: the rule stands
    assert kept.severity == "error" and kept.verifier["verdict"] == "scored"


def test_frames_hook_vetoes_and_confirms():
    from factcheck.claims import Claim
    from factcheck.kinds import Evidence
    from factcheck.verifier import Calibration, FrameVerdict
    from factcheck.verifier.combine import combine

    a, b = Claim("Police in Arvika reported a fire."), Claim("Police in Seltz reported no fire.")
    cal = Calibration(threshold=0.9, veto_threshold=0.05, confirm_threshold=0.6)
    veto = lambda x, y: FrameVerdict("veto", "different places")  # noqa: E731
    assert combine(a, b, 0.9, None, _score(0.99), cal, frames=veto) is None
    ev = (Evidence("a", "Arvika", 10, 16), Evidence("b", "Seltz", 10, 15))
    confirm = lambda x, y: FrameVerdict("confirm", "A 'Arvika' / B 'Seltz'", ev)  # noqa: E731
    f = combine(a, b, 0.9, None, _score(0.7), cal, frames=confirm)  # under 0.9, over the confirm bar
    assert f is not None and list(f.evidence) == list(ev) and "Arvika" in f.message
    r = combine(a, b, 0.9, _rule_finding(a, b), _score(0.01), cal, frames=confirm)
    assert r.severity == "error"  # frames confirm: the model's veto does not apply


def _claim(text: str):
    from factcheck.claims import Claim

    return Claim(text)


def test_real_frames_veto_confirm_and_explain_through_the_checker(model_dir: Path, checker):
    """The Checker's default frames hook reads the claims' real frames (spaCy): another subject
    or place blocks the model's finding; one event asserted and denied lets a finding through at
    the confirm bar and protects a rule finding from the model's veto; and every verifier
    finding points at the aligned words on both claims."""
    from factcheck import Checker
    from factcheck.verifier import Calibration, frame_verdict

    cal = Calibration(threshold=0.9, min_similarity=0.0, veto_threshold=0.05, confirm_threshold=0.9)
    v = verifier(model_dir, calibration=cal)
    with_v = Checker(rules=checker.rules, verifier=v)
    same = with_v.check_pair("The council in Kyiv approved the budget plan.",
                             f"The council in Kyiv {TRIGGER} the budget plan.", similarity=0.8)
    assert same is not None and same.kind == "verifier"
    assert [(e.side, e.text) for e in same.evidence] == [("a", "approved"), ("b", TRIGGER)]
    assert f"A 'approved' / B '{TRIGGER}'" in same.message
    # No shared name to anchor the pair on ("neutral"): the calibration's unaligned bar applies.
    bare = ("The council approved the budget plan.", f"The council {TRIGGER} the budget plan.")
    assert frame_verdict(*map(_claim, bare)).verdict == "neutral"
    assert with_v.check_pair(*bare, similarity=0.8) is not None
    cal.unaligned_threshold = 1.0
    assert with_v.check_pair(*bare, similarity=0.8) is None
    named = ("Mayor Olsen approved the budget plan.", f"Mayor Olsen {TRIGGER} the budget plan.")
    assert frame_verdict(*map(_claim, named)).verdict == "aligned"
    found = with_v.check_pair(*named, similarity=0.8)
    assert found.verifier["verdict"] == "added (frames align)" and "both name the same subject" in found.message
    cal.unaligned_threshold = 0.9
    for a, b, why in [("Mayor Olsen approved the budget plan.", f"Mayor Brandt {TRIGGER} the budget plan.", "subject"),
                      ("The council approved the budget plan in Kyiv.", f"The council {TRIGGER} the budget plan in Lviv.",
                       "place")]:
        from factcheck.claims import Claim

        assert why in frame_verdict(Claim(a), Claim(b)).reasons
        assert with_v.check_pair(a, b, similarity=0.8) is None
        off = Checker(rules=checker.rules, verifier=v, frames=False)  # without frames the model alone decides
        assert off.check_pair(a, b, similarity=0.8).kind == "verifier"
        cal.frame_vetoes = [x for x in cal.frame_vetoes if x != why]  # a veto the calibration left out: no block
        assert with_v.check_pair(a, b, similarity=0.8) is not None
        cal.frame_vetoes.append(why)

    # One event, asserted and denied: frames confirm. The tiny model's score of this pair sits
    # between the confirm bar and the plain one, so only the frames' confirmation adds it.
    a, b = "The council approved the budget plan.", "The council did not approve the budget plan."
    (p,) = v.score_pairs([(a, b)])
    cal.threshold, cal.confirm_threshold = min(1.0, p.value + 0.01), max(0.0, p.value - 0.01)
    checker_rules_off = Checker(rules=[], verifier=v)
    got = checker_rules_off.check_pair(a, b, similarity=0.8)
    assert got is not None and got.verifier["verdict"] == "added (frames confirm)"
    assert [(e.side, e.text) for e in got.evidence] == [("a", "approved"), ("b", "not approve")]
    assert Checker(rules=[], verifier=v, frames=False).check_pair(a, b, similarity=0.8) is None

    # A rule finding the model calls a confident "no" ("indeed" pulls the tiny model's score down):
    # demoted, unless the frames confirm the clash.
    cal.veto_threshold = 0.2
    b2 = f"The council {CALM} did not approve the budget plan."
    kept = with_v.check_pair(a, b2, similarity=0.9)
    assert kept is not None and kept.kind != "verifier" and kept.severity != "info"
    assert kept.verifier["verdict"] == "scored (frames confirm)" and kept.verifier["score"] <= 0.2
    demoted = Checker(rules=checker.rules, verifier=v, frames=False).check_pair(a, b2, similarity=0.9)
    assert demoted.severity == "info" and demoted.verifier["verdict"] == "demoted"


def test_calibration_fits_the_frames_confirm_bar_and_vetoes():
    """fit() on signals where a frame veto separates false alarms and a confirmation rescues
    lower-scored contradictions: it chooses to use both."""
    from factcheck.verifier.calibration import Signals, fit, predictions

    n = 40
    gold = [i % 2 == 0 for i in range(n)]
    # contradictions: half scored 0.95 (neutral frames), half 0.6 (frames confirm); non-contradictions: 0.97
    # with another subject (frame veto), or 0.1.
    fwd = [(0.95 if i % 4 == 0 else 0.6) if g else (0.97 if i % 4 == 1 else 0.1) for i, g in enumerate(gold)]
    verdict = [("aligned" if i % 4 == 0 else "confirm") if g else ("veto" if i % 4 == 1 else "aligned")
               for i, g in enumerate(gold)]
    reasons = [("subject",) if v == "veto" else () for v in verdict]
    sig = Signals("toy", gold, [0.8] * n, [False] * n, fwd, [None] * n, verdict, reasons)
    cal = fit([sig])
    assert "subject" in cal.frame_vetoes and cal.confirm_threshold <= 0.6 < cal.threshold <= 0.95
    alone, combined = predictions(sig, cal)
    assert combined.tolist() == gold and cal.dev["toy"]["combined"]["f1"] == 1.0



def test_a_veto_needs_the_models_own_no_in_one_order():
    """Neither combiner overrules a rule finding the model reads as a contradiction both ways,
    however low a fitted bar puts that reading (the seed example's withdrawal finding: 0.88/0.55);
    a "no" in one order is enough."""
    from factcheck.claims import Claim
    from factcheck.verifier import Calibration, PairScore
    from factcheck.verifier.combine import combine
    from factcheck.verifier.learned import Combiner

    a, b = Claim("Russian forces are withdrawing."), Claim("It was a repositioning, not a withdrawal.")
    learned = Calibration(learned=Combiner(["logit_max"], [0.0], [1.0], [1.0], -5.0, keep_at=0.5).to_dict())
    thresholds = Calibration(veto_threshold=0.9)
    for cal in (learned, thresholds):
        kept = combine(a, b, 0.9, _rule_finding(a, b), PairScore(0.88, 0.55, 0.715), cal)
        assert kept.severity == "error" and kept.verifier["verdict"] != "demoted"
        demoted = combine(a, b, 0.9, _rule_finding(a, b), PairScore(0.88, 0.3, 0.59), cal)
        assert demoted.severity == "info" and demoted.verifier["verdict"] == "demoted"


def _toy_features(fwd: float, cover: float) -> dict:
    import math

    lg = math.log(fwd / (1 - fwd))
    return {"logit_min": lg, "logit_max": lg, "cover_b": cover, "len_a": 2.0, "len_b": 2.0, "similarity": 0.8}


def test_auto_picks_the_combiner_that_does_better_out_of_fold():
    """calibrate --combiner auto judges both combiners on dev pairs neither was fitted on, by one
    objective: where what decides is a word fact the thresholds cannot read, the learned
    combiner wins; where the score alone decides, the tie keeps the thresholds. The figures it
    chose by are kept in calibration.json."""
    import random

    from factcheck.verifier.calibration import Signals, fit

    rng = random.Random(3)

    def toy(decided_by_cover: bool) -> Signals:
        gold, fwd, feats = [], [], []
        for _ in range(160):
            f, cover = rng.uniform(0.02, 0.98), rng.random()
            gold.append(cover > 0.5 and f > 0.3 if decided_by_cover else f > 0.6)
            fwd.append(f)
            feats.append(_toy_features(f, cover))
        n = len(gold)
        return Signals("toy", gold, [0.8] * n, [False] * n, fwd, [f for f in fwd], [None] * n, [()] * n,
                       [None] * n, feats)

    cal = fit([toy(True)], rounds=1)
    assert cal.choice["picked"] == "learned" and cal.combiner is not None
    assert cal.choice["learned"]["objective"] > cal.choice["thresholds"]["objective"]
    assert set(cal.choice["learned"]["f1"]) == {"toy"}
    plain = fit([toy(False)], rounds=1)
    assert plain.choice["picked"] == "thresholds" and plain.combiner is None
    assert fit([toy(True)], combiner="thresholds", rounds=1).choice == {}

def test_the_auto_choice_does_not_depend_on_the_order_of_the_dev_files():
    """Folds are dealt by a seed of each dev file's own name: the same files in another order
    give the same calibration."""
    import random

    from factcheck.verifier.calibration import Signals, fit

    def toy(name: str, seed: int) -> Signals:
        rng = random.Random(seed)
        gold, fwd, feats = [], [], []
        for _ in range(120):
            f, cover = rng.uniform(0.02, 0.98), rng.random()
            gold.append(cover > 0.5 and f > 0.3)
            fwd.append(f)
            feats.append(_toy_features(f, cover))
        n = len(gold)
        return Signals(name, gold, [0.8] * n, [False] * n, fwd, list(fwd), [None] * n, [()] * n, [None] * n, feats)

    one, two = toy("a.jsonl", 1), toy("b.jsonl", 2)
    ab, ba = fit([one, two], rounds=1), fit([two, one], rounds=1)
    assert ab.choice["picked"] == ba.choice["picked"]
    for name in ("learned", "thresholds"):
        assert ab.choice[name]["objective"] == pytest.approx(ba.choice[name]["objective"], abs=1e-9)
    assert ab.learned.get("add_at") == ba.learned.get("add_at")


LEAD = "police reported that people were evacuated from the city after a fire broke out at a chemical plant"


def test_passage_premise_is_also_read_by_its_nearest_sentence(model_dir: Path):
    """A passage longer than the model's input is truncated, so the sentence the hypothesis is
    about may never be read: a passage premise is also read by that sentence alone, and the
    calibration's `passage` says which reading counts (both are cached like any reading)."""
    from factcheck.verifier import Calibration

    premise, part = f"{LEAD}. The council {TRIGGER} the plan.", f"The council {TRIGGER} the plan."
    hyp = "the council approved the plan"
    readings = {}
    for how in ("whole", "nearest", "max"):
        v = verifier(model_dir, calibration=Calibration(passage=how), cache=None)
        (sc,) = v.score_pairs([(premise, hyp)], parts=[part])
        assert v.stats.scored == 4  # both orders of the passage and of its nearest sentence
        readings[how] = sc
    whole, near = readings["whole"], readings["nearest"]
    assert whole.part == near.part and whole.whole == near.whole
    assert whole.value < 0.6 and near.value > 0.99  # truncation hid the planted word; the sentence alone shows it
    assert readings["max"].forward == max(whole.forward, near.forward)
    assert near.to_dict()["nearest_sentence"] == [round(x, 4) for x in near.part]
    (one,) = verifier(model_dir, calibration=Calibration(passage="nearest"), cache=None).score_pairs([(premise, hyp)])
    assert one.part is None and one.forward == whole.forward  # no sentence given: the whole passage


def _passage_dev_file(path: Path) -> Path:
    rows = []
    for subj, obj in [("council", "budget plan"), ("mayor", "plan"), ("minister", "budget"),
                      ("police", "plan"), ("council", "talks"), ("minister", "plan"), ("mayor", "budget"),
                      ("police", "talks")]:
        rows += [{"premise": f"{LEAD.capitalize()}. The {subj} {TRIGGER} the {obj} on Monday.",
                  "hypothesis": f"The {subj} approved the {obj} on Monday.", "label": "contradiction"},
                 {"premise": f"{LEAD.capitalize()}. The {subj} {CALM} approved the {obj} on Monday.",
                  "hypothesis": f"The {subj} approved the {obj} on Monday.", "label": "entailment"}]
    path.write_text("".join(json.dumps({"id": f"p{i}", **r}) + "\n" for i, r in enumerate(rows)))
    return path


def test_calibrate_chooses_how_passage_premises_are_read(model_dir: Path, tmp_path: Path):
    dev = _passage_dev_file(tmp_path / "passages.jsonl")
    out = tmp_path / "cal.json"
    env = {"FACTCHECK_VERIFIER_CACHE": "off"}
    res = run_cli("verifier", "calibrate", model_dir, dev, "-o", out, "-q", env=env)
    assert res.returncode == 0, res.stderr
    cal = json.loads(out.read_text())
    assert set(cal["choice"]["passage"]) == {"whole", "nearest", "max"}
    assert cal["passage"] in ("nearest", "max")
    assert cal["choice"]["passage"][cal["passage"]] > cal["choice"]["passage"]["whole"]
    only = run_cli("verifier", "calibrate", model_dir, dev, "-o", out, "-q", "--passage", "whole", env=env)
    assert only.returncode == 0 and json.loads(out.read_text())["passage"] == "whole"
    bad = run_cli("verifier", "calibrate", model_dir, dev, "-o", out, "-q", "--passage", "first", env=env)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


# -- through the Checker and the CLI ---------------------------------------------------------------
ART_A = "The council approved the budget plan on Monday, the mayor said.\n"
ART_B = f"The council {TRIGGER} the budget plan on Monday, the mayor said.\n"


@pytest.fixture()
def articles(tmp_path: Path) -> tuple[Path, Path]:
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text(ART_A)
    b.write_text(ART_B)
    return a, b


def test_checker_adds_a_finding_the_rules_miss(model_dir: Path, checker):
    from factcheck import Checker
    from factcheck.verifier import Calibration

    assert checker.compare_texts(ART_A, ART_B) == []  # the rules know no such word
    v = verifier(model_dir, calibration=Calibration(threshold=0.9, min_similarity=0.3))
    with_v = Checker(rules=checker.rules, verifier=v)
    found = with_v.compare_texts(ART_A, ART_B)
    assert [f.kind for f in found] == ["verifier"] and "zorbled" in found[0].message
    assert with_v.check_pair(ART_A, f"The council {CALM} approved the budget plan on Monday.") is None


def test_compare_cli_verbose_json_and_cache(model_dir: Path, articles, tmp_path: Path):
    a, b = articles
    env = {"FACTCHECK_VERIFIER_CACHE": str(tmp_path / "cli-cache.sqlite")}
    res = run_cli("compare", a, b, "--no-db", "-f", "json", "-v", "--verifier", model_dir, env=env)
    assert res.returncode == 1, res.stderr
    doc = json.loads(res.stdout)
    (f,) = doc["findings"]
    assert f["kind"] == "verifier" and f["verifier"]["score"] > 0.9 and {e["side"] for e in f["evidence"]} == {"a", "b"}
    assert "factcheck: verifier: onnx verifier" in res.stderr and "1 pairs (2 model readings, 0 from cache)" in res.stderr
    # -v: the settings path names where the verifier came from, and the stage has its own timing
    assert f"factcheck: verifier: {model_dir} (flag)" in res.stderr and "factcheck: verifier_veto: default (default)" \
        in res.stderr
    assert re.search(r"factcheck: load verifier: \d", res.stderr) and re.search(r"factcheck: verifier: \d", res.stderr)
    again = run_cli("compare", a, b, "--no-db", "-v", "--verifier", model_dir, env=env)
    assert "1 pairs (0 model readings, 2 from cache)" in again.stderr
    plain = run_cli("compare", a, b, "--no-db")
    assert plain.returncode == 0 and "verifier" not in plain.stdout


def test_check_and_config_key(model_dir: Path, tmp_path: Path):
    claims = tmp_path / "claims.yaml"
    claims.write_text(f"claims:\n  - id: one\n    text: {ART_A.strip()}\n  - id: two\n    text: {ART_B.strip()}\n"
                      "    source: other.md\n")
    (tmp_path / ".factcheck.yaml").write_text(f"verifier: {model_dir.name}\nverifier_veto: drop\n")
    res = run_cli("check", claims, "--no-db", "-f", "json", cwd=tmp_path)
    assert res.returncode == 1, res.stderr
    assert [f["kind"] for f in json.loads(res.stdout)["findings"]] == ["verifier"]
    (tmp_path / ".factcheck.yaml").write_text(f"verifier: {model_dir.name}\nverifier_veto: dorp\n")
    bad = run_cli("check", claims, "--no-db", cwd=tmp_path)
    assert bad.returncode == 2 and ".factcheck.yaml:2:16:" in bad.stderr and "verifier_veto" in bad.stderr


def test_config_verifier_is_relative_to_the_config_file(model_dir: Path, tmp_path: Path, articles):
    from factcheck.settings import Flags, resolve

    a, b = articles
    conf = tmp_path / "conf"
    conf.mkdir()
    (conf / "ci.yaml").write_text(f"verifier: ../{model_dir.name}\nverifier_veto: off\n")
    elsewhere = tmp_path / "work"
    elsewhere.mkdir()
    s = resolve(Flags(config=str(conf / "ci.yaml")), with_rules=False)
    assert Path(s.verifier) == model_dir.resolve() and s.verifier_veto == "off"
    assert s.origin["verifier"].startswith("config") and s.origin["verifier_veto"].startswith("config")
    flag = resolve(Flags(config=str(conf / "ci.yaml"), verifier="x", verifier_veto="drop"), with_rules=False)
    assert flag.verifier == "x" and flag.origin["verifier"] == "flag" and flag.verifier_veto == "drop"
    res = run_cli("--config", conf / "ci.yaml", "compare", a, b, "--no-db", "-f", "json", "-v", cwd=elsewhere)
    assert res.returncode == 1, res.stderr
    assert [f["kind"] for f in json.loads(res.stdout)["findings"]] == ["verifier"]
    assert f"factcheck: verifier: {model_dir.resolve()} (config {conf / 'ci.yaml'})" in res.stderr
    (conf / "ci.yaml").write_text("verifier: ''\n")
    bad = run_cli("--config", conf / "ci.yaml", "compare", a, b, "--no-db", cwd=elsewhere)
    assert bad.returncode == 2 and "ci.yaml:1:" in bad.stderr and "verifier" in bad.stderr


def _dev_file(path: Path) -> Path:
    rows = []
    for subj, obj in [("council", "budget plan"), ("mayor", "plan"), ("minister", "budget"),
                      ("police", "plan"), ("council", "talks"), ("minister", "plan")]:
        rows += [{"premise": f"The {subj} approved the {obj} on Monday.", "hypothesis":
                  f"The {subj} {TRIGGER} the {obj} on Monday.", "label": "contradiction"},
                 {"premise": f"The {subj} approved the {obj} on Monday.", "hypothesis":
                  f"The {subj} {CALM} approved the {obj} on Monday.", "label": "entailment"},
                 {"premise": f"The {subj} approved the {obj} on Monday.", "hypothesis":
                  f"The {subj} {CALM} approved the {obj} on Tuesday.", "label": "neutral"}]  # rules: date
    path.write_text("".join(json.dumps({"id": f"d{i}", **r}) + "\n" for i, r in enumerate(rows)))
    return path


def test_calibrate_writes_beside_model_and_loading_uses_it(model_dir: Path, tmp_path: Path):
    from factcheck.verifier import Verifier

    dev = _dev_file(tmp_path / "dev.jsonl")
    env = {"FACTCHECK_VERIFIER_CACHE": "off"}
    res = run_cli("verifier", "calibrate", model_dir, dev, "--veto", "drop", "-q", env=env)
    assert res.returncode == 0, res.stderr
    cal = json.loads((model_dir / "calibration.json").read_text())
    assert cal["fitted_on"] == ["dev.jsonl"] and cal["veto"] == "drop" and cal["aggregate"] in ("forward", "mean",
                                                                                                "max", "min")
    figures = cal["dev"]["dev.jsonl"]
    assert figures["rules"]["fp"] == 6 and figures["combined"]["f1"] == 1.0 and "combined" in res.stdout
    assert 0.0 < cal["veto_threshold"] < 0.5  # the model's confident "no" removes the rules' date false alarms
    loaded = Verifier(model_dir, cache=None).calibration
    assert loaded.fitted and loaded.threshold == cal["threshold"] and loaded.veto == "drop"
    out = tmp_path / "elsewhere.json"
    assert run_cli("verifier", "calibrate", model_dir, dev, "-o", out, "-q", env=env).returncode == 0
    assert json.loads(out.read_text())["veto"] == "demote"
    strict = run_cli("verifier", "calibrate", model_dir, dev, "--strict", dev, "-o", out, "-q", env=env)
    assert strict.returncode == 0 and json.loads(out.read_text())["dev"]["dev.jsonl"]["combined"]["fp"] <= 6
    bad = run_cli("verifier", "calibrate", model_dir, dev, "--strict", tmp_path / "other.jsonl", "-q", env=env)
    assert bad.returncode == 2 and "not one of the dev files" in bad.stderr and len(bad.stderr.strip().splitlines()) == 1

    ev = run_cli("eval", dev, "--verifier", model_dir, env=env)
    assert ev.returncode == 0, ev.stderr
    rows = {line.split()[0]: line.split() for line in ev.stdout.splitlines()[2:] if line.strip()}
    assert set(rows) >= {"rules", "verifier", "combined"} and rows["combined"][3] == "1.000"
    js = json.loads(run_cli("eval", dev, "--verifier", model_dir, "-f", "json", env=env).stdout)
    assert set(js) == {"rules", "verifier", "combined"} and js["combined"]["tp"] == 6


def _learning_dev_file(path: Path) -> Path:
    """120 pairs: contradictions the rules miss (the planted word) and ones they find (a denial,
    some with the calming word the tiny model reads as "no"), paraphrases, and date changes the
    rules flag but the labels call neutral."""
    rows = []
    for subj in ("council", "mayor", "minister", "police", "people", "troops"):
        for obj, day in (("budget plan", "Monday"), ("plan", "Tuesday"), ("budget", "Monday"), ("talks", "Tuesday"),
                         ("city plan", "Monday")):
            other = "Tuesday" if day == "Monday" else "Monday"
            head = f"The {subj} approved the {obj} on {day}."
            rows += [{"premise": head, "hypothesis": f"The {subj} {TRIGGER} the {obj} on {day}.",
                      "label": "contradiction"},
                     {"premise": head, "hypothesis": f"The {subj} {CALM} did not approve the {obj} on {day}.",
                      "label": "contradiction"},
                     {"premise": head, "hypothesis": f"The {subj} {CALM} approved the {obj} on {day}.",
                      "label": "entailment"},
                     {"premise": head, "hypothesis": f"The {subj} {CALM} approved the {obj} on {other}.",
                      "label": "neutral"}]
    path.write_text("".join(json.dumps({"id": f"l{i}", **r}) + "\n" for i, r in enumerate(rows)))
    return path


def test_learned_combiner_runs_as_it_was_measured_and_explains(model_dir: Path, checker, tmp_path: Path):
    """calibrate's learned combiner (a regression over the model's scores, the rule kind, the
    frames and the wording): what it reports on dev is what eval and compare then do with the
    calibration.json it wrote, and what it adds is explained by score, words and spans."""
    from factcheck import Checker
    from factcheck.errors import FactcheckError
    from factcheck.evaluate import evaluate_with_verifier, judge_pairs, load_pairs
    from factcheck.verifier import Verifier, signals
    from factcheck.verifier.calibration import fit, load_calibration

    dev = _learning_dev_file(tmp_path / "learn.jsonl")
    pairs = load_pairs(dev)
    v = verifier(model_dir)
    with_v = Checker(rules=checker.rules, verifier=v)
    sig = signals("learn.jsonl", judge_pairs(pairs, with_v), with_v.frames_hook, with_v.attach_frames)
    assert all(f is not None for f in sig.features) and sum(sig.rule) > 0
    cal = fit([sig], floor=with_v.min_similarity, combiner="learned")
    assert cal.combiner is not None and len(cal.learned["weights"]) == len(cal.learned["names"])
    figures = cal.dev["learn.jsonl"]
    assert figures["combined"]["f1"] > max(figures["rules"]["f1"], figures["verifier"]["f1"])
    path = tmp_path / "calibration.json"
    path.write_text(cal.to_json())
    loaded = Verifier(model_dir, calibration=path, cache=tmp_path / "scores.sqlite")
    assert loaded.calibration.combiner is not None and "learned combiner" in loaded.describe()
    res = evaluate_with_verifier(pairs, Checker(rules=checker.rules, verifier=loaded))
    assert (res["combined"].tp, res["combined"].fp) == (figures["combined"]["tp"], figures["combined"]["fp"])

    a, b = "The council approved the budget plan on Monday.", f"The council {TRIGGER} the budget plan on Monday."
    found = Checker(rules=checker.rules, verifier=loaded).check_pair(a, b, similarity=0.9)
    assert found is not None and found.kind == "verifier" and "P(contradiction)" in found.message
    assert [(e.side, e.text) for e in found.evidence] == [("a", "approved"), ("b", TRIGGER)]
    assert 0.0 < found.verifier["combined"] <= 1.0 and found.verifier["verdict"].startswith("added")

    broken = json.loads(path.read_text())
    broken["learned"]["weights"] = broken["learned"]["weights"][:-1]
    path.write_text(json.dumps(broken))
    with pytest.raises(FactcheckError, match="one entry each"):
        load_calibration(path)


def test_bad_verifier_input_is_one_line_exit_2(model_dir: Path, articles, tmp_path: Path):
    a, b = articles
    missing = run_cli("compare", a, b, "--no-db", "--verifier", tmp_path / "nope")
    assert missing.returncode == 2 and "verifier model directory not found" in missing.stderr
    cfg = json.loads((model_dir / "config.json").read_text())
    (model_dir / "config.json").write_text(json.dumps({"id2label": {"0": "yes", "1": "no"}}))
    res = run_cli("compare", a, b, "--no-db", "--verifier", model_dir)
    assert res.returncode == 2 and "exactly one class 'contradiction'" in res.stderr and "Traceback" not in res.stderr
    (model_dir / "config.json").write_text(json.dumps(cfg))
    (model_dir / "calibration.json").write_text('{"threshold": 3}')
    res = run_cli("compare", a, b, "--no-db", "--verifier", model_dir)
    assert res.returncode == 2 and "calibration.json: 'threshold' must be a number from 0 to 1" in res.stderr
    (model_dir / "calibration.json").write_text('{"frame_vetoes": ["subject", "weather"]}')
    res = run_cli("compare", a, b, "--no-db", "--verifier", model_dir)
    assert res.returncode == 2 and "'frame_vetoes' must be one of subject, place, time, direction, got 'weather'" \
        in res.stderr
    (model_dir / "calibration.json").unlink()
    (model_dir / "model.onnx").write_bytes(b"not a graph")
    res = run_cli("compare", a, b, "--no-db", "--verifier", model_dir)
    assert res.returncode == 2 and "cannot load ONNX model" in res.stderr and len(res.stderr.strip().splitlines()) == 1


def test_crossencoder_directory(tmp_path: Path):
    """A sentence-transformers CrossEncoder directory (torch): a tiny random BERT saved here."""
    from transformers import BertConfig, BertForSequenceClassification, PreTrainedTokenizerFast

    d = tmp_path / "ce"
    d.mkdir()
    build_tokenizer(tmp_path / "tok.json")
    tok = PreTrainedTokenizerFast(tokenizer_file=str(tmp_path / "tok.json"), unk_token="[UNK]", pad_token="[PAD]",
                                  cls_token="[CLS]", sep_token="[SEP]")
    tok.save_pretrained(d)
    cfg = BertConfig(vocab_size=len(WORDS) + 4, hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
                     intermediate_size=32, max_position_embeddings=64, num_labels=3,
                     id2label={0: "entailment", 1: "neutral", 2: "contradiction"},
                     label2id={"entailment": 0, "neutral": 1, "contradiction": 2})
    BertForSequenceClassification(cfg).save_pretrained(d)
    v = verifier(d, batch_size=4)
    assert v.backend.name == "cross-encoder"
    scores = v.score_pairs([(f"the council approved plan {i}", "the mayor rejected it") for i in range(6)])
    assert v.backend.calls == 3 and all(0.0 < s.value < 1.0 for s in scores)  # 12 readings, batches of 4


def test_without_the_flag_nothing_verifier_is_imported(tmp_path: Path):
    code = ("import sys; from factcheck.cli.main import main; "
            f"rc = main(['compare', {str(ROOT / 'examples/moscow_briefing.md')!r}, "
            f"{str(ROOT / 'examples/washington_briefing.txt')!r}, '--no-db', '-q']); "
            "print(sorted(m for m in sys.modules if m.startswith('factcheck.verifier')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert out.stdout.strip().splitlines()[-1] == "[]", out.stderr
