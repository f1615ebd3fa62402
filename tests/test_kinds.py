"""Each rule kind, judged purely (fixed similarity, no model): fires where it should, and stays
quiet on the traps the pipeline issue names."""
import pytest

from factcheck.claims import Claim
from factcheck.judge import judge
from factcheck.kinds import KINDS
from factcheck.ruleset import Rule

SIM = 0.8


def make_rule(kind: str, **params) -> Rule:
    return Rule(id=f"t.{kind}", kind=kind, description="test", severity="warning", min_similarity=0.3,
                params=params, impl=KINDS[kind](params))


OPPOSING = make_rule("opposing", groups=[["withdraw", "withdrawal", "pull back"], ["reposition", "regroup"]])
NEGATION = make_rule("negation")
NUMERIC = make_rule("numeric")
DATE = make_rule("date")
MODALITY = make_rule("modality")
PATTERN = make_rule("pattern", a=r"cease-?fire (?:is )?holding", b=r"cease-?fire (?:has )?collapsed")


def fires(rule, a, b, sim=SIM):
    return judge(Claim(a, source="a"), Claim(b, source="b"), sim, [rule])


@pytest.mark.parametrize("rule,a,b", [
    (OPPOSING, "Russian forces are withdrawing from positions around Kyiv.",
     "It's a repositioning, not a real withdrawal from positions around the Ukrainian capital."),
    (OPPOSING, "Russia said it would pull its forces back from Kyiv.", "Russian forces around Kyiv are regrouping."),
    (NEGATION, "The talks produced a breakthrough.", "The talks yielded no breakthrough."),
    (NEGATION, "The process will begin this week.", "The process won't begin this week."),
    (NUMERIC, "More than 4 million refugees have fled Ukraine.", "About 2 million refugees have fled Ukraine."),
    (NUMERIC, "The shelling left 30,000 households without electricity.", "The shelling left 12,000 households without electricity."),
    (DATE, "Russia annexed Crimea in 2014.", "Russia annexed Crimea in 2015."),
    (DATE, "The payment deadline is March 31.", "The payment deadline is April 30."),
    (MODALITY, "The central bank will raise rates in June.", "The central bank is unlikely to raise rates in June."),
    (PATTERN, "The ceasefire is holding in the east.", "The ceasefire has collapsed in the east."),
])
def test_fires(rule, a, b):
    f = fires(rule, a, b)
    assert f is not None and f.rule == rule.id
    assert 0 < f.confidence <= 1
    assert f.evidence and all(e.side in "ab" for e in f.evidence)
    # Evidence words really are in the claims, at the stated offsets.
    for e in f.evidence:
        claim = f.a if e.side == "a" else f.b
        assert claim.text[e.start:e.end] == e.text


@pytest.mark.parametrize("rule,a,b", [
    # Both claims carry both terms.
    (OPPOSING, "It's a repositioning, not a real withdrawal from positions around Kyiv.",
     "It is a repositioning rather than a genuine withdrawal from positions around Kyiv."),
    # Denying the opposite is agreement.
    (OPPOSING, "Russian forces are withdrawing from Kyiv.", "Russian forces are not regrouping near Kyiv, they are withdrawing."),
    # Double negation: "will remain until" vs "will not be lifted before".
    (NEGATION, "Sanctions on Russia will remain until the nation withdraws its troops.",
     "Sanctions on Russia will not be lifted before the nation withdraws its troops."),
    (MODALITY, "Sanctions on Russia will remain until the nation withdraws its troops.",
     "Sanctions on Russia will not be lifted before the nation withdraws its troops."),
    (NEGATION, "The talks produced no breakthrough.", "The talks yielded no breakthrough."),
    # Numbers of different things.
    (NUMERIC, "The shelling caused 30,000 households to lose electricity.",
     "The shelling caused 34,000 households to stop receiving gas."),
    (NUMERIC, "More than 4 million refugees have fled Ukraine.", "Over four million refugees have fled Ukraine."),
    (NUMERIC, "Some 10 million people were forced from their homes.", "About 10 million people were forced from their homes."),
    (DATE, "Russia annexed Crimea in 2014.", "Russia annexed Crimea in March 2014."),
    (PATTERN, "The ceasefire is holding in the east.", "The ceasefire is holding in the south."),
])
def test_quiet_traps(rule, a, b):
    assert fires(rule, a, b) is None


def test_similarity_gate():
    import dataclasses

    rule = dataclasses.replace(make_rule("negation"), min_similarity=0.9)  # rules are frozen
    assert fires(rule, "The talks produced a breakthrough.", "The talks yielded no breakthrough.", sim=0.6) is None


def test_hedge_lowers_confidence():
    sure = fires(NEGATION, "The process will begin this week.", "The process won't begin this week.")
    hedged = fires(NEGATION, "The process may begin this week.", "The process won't begin this week.")
    assert hedged is not None and hedged.confidence < sure.confidence


def test_inline_ignore_suppresses():
    a = Claim("The talks produced a breakthrough.", source="a", ignore={"t.negation": "known"})
    assert judge(a, Claim("The talks yielded no breakthrough.", source="b"), SIM, [NEGATION]) is None


def test_relation_classes():
    f = judge(Claim("The talks produced a breakthrough.", source="x", speaker="Dmitry Peskov"),
              Claim("The talks yielded no breakthrough.", source="y", speaker="Kremlin spokesman Peskov"), SIM, [NEGATION])
    assert f.relation == "self-contradiction"
    f = judge(Claim("The talks produced a breakthrough.", source="x", speaker="Medinsky"),
              Claim("The talks yielded no breakthrough.", source="y", speaker="Peskov"), SIM, [NEGATION])
    assert f.relation == "dispute"
    f = judge(Claim("The talks produced a breakthrough.", source="x", speaker="Peskov", date="2022-03-29"),
              Claim("The talks yielded no breakthrough.", source="y", speaker="Peskov", date="2022-03-30"), SIM, [NEGATION])
    assert f.relation == "update"


def test_claim_caches_are_per_rule_object_not_per_address():
    """Claims cache what each rule found in them. A rule built after another was freed may get
    its memory address; it must still see its own terms, not the freed rule's cached result."""
    a = Claim("Troops advanced on the city.", source="a")
    b = Claim("Troops retreated from the city.", source="b")
    for _ in range(20):  # freed and rebuilt: CPython readily reuses the address
        quiet = make_rule("opposing", groups=[["withdraw"], ["reposition"]])
        assert judge(a, b, SIM, [quiet]) is None
        del quiet
        loud = make_rule("opposing", groups=[["advance"], ["retreat"]])
        assert judge(a, b, SIM, [loud]) is not None
        del loud


def test_negation_in_a_paragraph_needs_its_own_sentence_to_match():
    para = ("Buy a sturdy ladder. The point of the home toolkit is that it holds many tools for repairs, "
            "so it is larger than the travel kit.")
    assert not fires(NEGATION, para, "You don't really need a sturdy ladder for a home toolkit.")
    assert fires(NEGATION, "Buy a sturdy ladder for the home toolkit. Keep it in the garage.",
                 "You don't need a sturdy ladder for the home toolkit.")


def test_per_claim_gates_skip_rules_a_claim_cannot_take_part_in():
    """A gated rule is never tried on a pair where one claim fails its gate (no figure for a
    numeric rule, no date for a date rule), and what it finds elsewhere is unchanged."""
    from factcheck.judge import _rules_key, triggered

    rules = [make_rule("numeric"), make_rule("date"), make_rule("slot", slot="place")]
    plain = Claim("Officials said the talks went well.")
    counted = Claim("About 2 million refugees have fled, officials said.")
    dated = Claim("Russia annexed Crimea in 2014.")
    key = _rules_key(rules)
    assert 0 not in triggered(plain, rules, key) and 0 in triggered(counted, rules, key)
    assert 1 not in triggered(plain, rules, key) and 1 in triggered(dated, rules, key)
    assert not any(r.impl.gate(plain) for r in rules)
    assert fires(rules[0], counted.text, "More than 4 million refugees have fled, officials said.")
    assert fires(rules[1], dated.text, "Russia annexed Crimea in 2015.")
    calls = []
    rules[0].impl.check = lambda a, b: calls.append((a, b))  # would record any attempt
    assert judge(plain, counted, SIM, rules) is None and calls == []


def test_a_kind_name_registered_twice_is_refused():
    from factcheck.kinds.base import RuleKind, register

    class Impostor(RuleKind):
        name = "numeric"

    with pytest.raises(TypeError, match="registered twice"):
        register(Impostor)
    assert KINDS["numeric"].__name__ == "Numeric"


def test_score_kind_compares_results_unordered_and_skips_interim_scores():
    from factcheck.claims import Claim
    from factcheck.kinds import KINDS
    from factcheck.kinds.score import scores

    kind = KINDS["score"]({})
    a = Claim("Kelso Rangers beat Tannock 3-1 on Saturday.")
    assert kind.check(a, Claim("Kelso Rangers edged Tannock 3-2 on Saturday.")).message == "result: '3-1' vs '3-2'"
    assert kind.check(a, Claim("Tannock lost 1-3 to Kelso Rangers on Saturday.")) is None
    assert kind.check(Claim("Velmora United were 1-0 up at half-time."),
                      Claim("Velmora United went on to lose the match 2-1.")) is None
    assert scores(Claim("The 2022-23 season ended.")) == []
    assert [s[:2] for s in scores(Claim("It passed by 61 votes to 38."))] == [(38, 61)]
