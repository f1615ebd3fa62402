"""The Python API with the real model."""
from factcheck import Checker, Claim

MOSCOW = ("Russia's deputy defence minister said Russian forces are withdrawing from positions around Kyiv. "
          "The talks in Istanbul produced a breakthrough, Medinsky said.")
PENTAGON = ("It's a repositioning, not a real withdrawal from positions around the Ukrainian capital, "
            "Pentagon spokesman John Kirby said. The talks in Istanbul yielded no breakthrough, Peskov said.")


def test_compare_texts(checker: Checker):
    findings = checker.compare_texts(MOSCOW, PENTAGON)
    rules = {f.rule for f in findings}
    assert "conflict.withdrawal-vs-repositioning" in rules
    assert "negation.asserted-vs-denied" in rules
    f = next(f for f in findings if f.rule == "conflict.withdrawal-vs-repositioning")
    assert f.b.speaker == "Pentagon spokesman John Kirby"
    assert f.relation == "dispute"


def test_check_pair(checker: Checker):
    f = checker.check_pair("Russian forces are withdrawing from positions around Kyiv.",
                           "It's a repositioning, not a real withdrawal from positions around the Ukrainian capital.")
    assert f is not None and f.rule == "conflict.withdrawal-vs-repositioning"
    assert 0.3 < f.similarity < 1
    assert checker.check_pair(Claim("Oil prices rose on Monday."), Claim("The army regrouped near Kyiv.")) is None


def test_model_loaded_once(checker: Checker):
    enc = checker.encoder
    checker.compare_texts(MOSCOW, PENTAGON)
    assert checker.encoder is enc


def test_embeddings_normalised(checker: Checker):
    import numpy as np

    v = checker.encoder.encode(["one sentence", "another one"])
    assert v.shape == (2, checker.encoder.dim) and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-4)


def test_eval_on_own_news_set(checker: Checker):
    """Our curated news pairs (tests/data): every kind and its traps. Targets from the quality issue."""
    from pathlib import Path

    from factcheck.evaluate import evaluate, load_pairs

    res = evaluate(load_pairs(Path(__file__).parent / "data" / "news_pairs.jsonl"), checker)
    assert res.f1 >= 0.9
    assert all(r["false_alarm_rate"] <= 0.02 for r in res.per_rule.values()), res.per_rule
    assert set(res.confusion) == {"contradiction", "entailment", "neutral"}


def test_eval_judges_a_passage_at_the_similarity_of_its_sentence(checker: Checker):
    """A hypothesis about one sentence of a long premise meets that sentence, as in compare."""
    from factcheck.evaluate import Pair, judge_pairs

    premise = ("Police in Oldcastle said they had arrested two men over a series of pharmacy burglaries. "
               "Officers recovered medicines and cash during searches of two properties on Wednesday, and the "
               "council promised more street lighting in the shopping district.")
    pair = Pair("1", premise, "Police in Oldcastle said they had not arrested anyone over the burglaries.",
                "contradiction")
    j = judge_pairs([pair], checker, verify=False)
    whole = j.similarity[0]
    assert j.findings[0] is not None and j.findings[0].similarity > whole
