from conftest import EXAMPLES

from factcheck.attribution import attribute
from factcheck.claims import extract_claims
from factcheck.dates import find_dates
from factcheck.quantities import find_quantities
from factcheck.segment import sentence_spans
from factcheck.textio import document_from_text

WIRE = """Some Russian units are returning to Belarus to regroup, the U.K. Defense Ministry said in an update.
The U.S. State Department warned its citizens to leave. Gen. Mark Milley said the war could last years.
Earlier on Wednesday, Kremlin spokesman Dmitry Peskov said the talks had yielded no breakthroughs and that much work remains to
be done before a deal could be possible.
"This process
is more drawn out in time
technologically," he said.
"""


def _claims(text, source="wire.txt"):
    return extract_claims(document_from_text(text, source))


def test_sentences_survive_abbreviations_and_wraps():
    doc = document_from_text(WIRE, "wire.txt")
    sents = [doc.text[s:e] for s, e in sentence_spans(doc.text)]
    assert any("the U.K. Defense Ministry said in an update." in s for s in sents)
    assert any(s.startswith("Gen. Mark Milley said") for s in sents)
    assert any("remains to be done before a deal" in s.replace("\n", " ") for s in sents)
    assert len(sents) == 5


def test_compound_sentence_split_keeps_speaker():
    claims = _claims(WIRE)
    texts = {c.text: c for c in claims}
    assert "the talks had yielded no breakthroughs" in texts
    much = next(c for c in claims if c.text.startswith("much work remains to be done"))
    assert much.speaker == "Kremlin spokesman Dmitry Peskov"
    assert texts["the talks had yielded no breakthroughs"].speaker == "Kremlin spokesman Dmitry Peskov"


def test_quote_across_lines_and_pronoun_speaker():
    claims = _claims(WIRE)
    proc = next(c for c in claims if c.text.startswith("This process is more drawn out"))
    assert proc.speaker == "Kremlin spokesman Dmitry Peskov"  # "he" resolved to the last named speaker


def test_offsets_index_original_text():
    text = "Talks stalled â€œagain,â€ Peskov told reporters. Russian forces are withdrawing from Kyiv, the ministry said."
    doc = document_from_text(text, "m.txt")
    for c in extract_claims(doc):
        assert text[c.start:c.end].split()[0] == c.text.split()[0].replace("“", "â€œ")


def test_attribution_shapes():
    cases = {
        "De-escalation does not mean a cease-fire, said a person close to the Kremlin.": "a person close to the Kremlin",
        "More than 4 million refugees have fled, according to the United Nations refugee agency.":
            "the United Nations refugee agency",
        "Pentagon spokesman John Kirby told reporters that the threat to Kyiv is not over.": "Pentagon spokesman John Kirby",
        "According to the ministry, three corridors have been agreed.": "the ministry",
        "Attacks continued to be reported near Kyiv.": None,
    }
    for sentence, speaker in cases.items():
        att = attribute(sentence)
        assert att.speaker == speaker, sentence
    att = attribute("“Do we believe this? Surely not,” he said in a video statement.")
    assert att.speaker == "he"


def test_numbers_parsed_with_qualifiers():
    q = find_quantities("More than 4 million refugees have fled")[0]
    assert (q.value, q.qualifier, q.noun) == (4e6, "more", "refugee")
    q = find_quantities("over four million refugees fled")[0]
    assert (q.value, q.qualifier) == (4e6, "more")
    vals = [(x.value, x.noun) for x in find_quantities("another 30,000 households lost power and 97 areas")]
    assert vals == [(30000.0, "household"), (97.0, "area")]
    assert find_quantities("Russia annexed Crimea in 2014", skip_spans=[(24, 28)]) == []


def test_dates_parsed():
    d = {x.text: x for x in find_dates("despite a March 31 deadline, on Wednesday, Crimea was annexed in 2014")}
    assert (d["March 31"].month, d["March 31"].day) == (3, 31)
    assert d["Wednesday"].weekday == 2
    assert d["2014"].year == 2014
    assert find_dates("The bank may raise rates") == []


def test_decimals_are_amounts_not_times_of_day():
    """'4.75 percent' and '$1.25 billion' were read as the clock times 4.75 and 1.25 and dropped."""
    got = {q.text: (q.unit, q.value) for t in ("The rate stands at 4.75 percent.", "It lost $1.25 billion.",
                                               "The quake struck at 9.15 p.m.") for q in find_quantities(t)}
    assert got == {"4.75 percent": ("%", 4.75), "$1.25 billion": ("$", 1.25e9), "9.15 p.m.": ("clock", 21 * 60 + 15)}


def test_a_weekday_with_s_is_a_possessive_not_a_decade():
    assert [(d.weekday, d.relative) for d in find_dates("Monday's verdict ended the trial.")] == [(0, False)]
    assert find_dates("in the 2010's")[0].relative


def test_fronted_negation_denies_the_clause_after_its_auxiliary():
    from factcheck.lexicon import tokenize

    def denied(text):
        return [t.text for t in tokenize(text) if t.negated]

    assert denied("At no point during the summit did the two leaders shake hands.") == ["shake"]
    assert denied("At no time was the minister informed of the leak.") == ["informed"]
    assert denied("At no point, the report says.") == ["point"]  # no inverted clause: the plain reading


def test_date_spans_are_one_period():
    """'August 9 to 11' and '9 to 11 July' are one span each, compared by month: they clash; a day
    inside a span agrees with it, a day outside does not."""
    (a,) = find_dates("The festival runs from August 9 to 11.")
    (b,) = find_dates("The festival takes place from 9 to 11 July.")
    assert (a.month, a.day, a.day_end, a.relative) == (8, 9, 11, False)
    assert (b.text, b.month, b.day, b.day_end) == ("9 to 11 July", 7, 9, 11)
    assert a.conflicts(b) == ["month"]
    (c,) = find_dates("It opens on August 10.")
    (d,) = find_dates("It opens on August 12.")
    assert a.conflicts(c) == [] and a.conflicts(d) == ["day"]
    (e,) = find_dates("held between 9 and 11 July 2024")
    assert (e.day, e.day_end, e.year) == (9, 11, 2024) and e.conflicts(b) == []
    # two months: two bounds of a longer period, not a span of days
    assert [x.day_end for x in find_dates("from 9 August to 11 September")] == [None, None]


def test_sentence_spans_are_pysbds_own():
    """segment.py finds pysbd's sentences with str.find, not a regex per sentence: same spans."""
    import pysbd

    from factcheck.segment import _segmenter_class

    texts = [(EXAMPLES / "moscow_briefing.md").read_text(encoding="utf-8"), "Twice. Twice.  Twice.",
             'He said "Go!" Then he left.   ', "U.S. troops left Kyiv. Gen. Smith said so.", "A . . . B", "no stop"]
    ours = _segmenter_class()(language="en", clean=False, char_span=True)
    theirs = pysbd.Segmenter(language="en", clean=False, char_span=True)
    for t in texts:
        assert [(s.sent, s.start, s.end) for s in ours.segment(t)] == \
            [(s.sent, s.start, s.end) for s in theirs.segment(t)]
