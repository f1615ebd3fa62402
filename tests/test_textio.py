from pathlib import Path

import pytest

from factcheck.errors import FactcheckError
from factcheck.repair import repair
from factcheck.textio import blank_markdown, document_from_text, read_document

# Our own mojibake samples, in the shapes the seed article shows.
MOJIBAKE = "Russiaâ€™s promise was â€œa repositioning, not a real withdrawal,â€ Kirby said."
DAGGER = "readiness to fulfil â€œthe most important conditions†set by Moscow"
LOST_BYTE_EOL = "proposals on paper were â€œpositive.â€\nNext line."


def test_mojibake_is_repaired():
    assert repair(MOJIBAKE).text == "Russia’s promise was “a repositioning, not a real withdrawal,” Kirby said."
    assert repair(DAGGER).text == "readiness to fulfil “the most important conditions” set by Moscow"
    assert repair(LOST_BYTE_EOL).text == "proposals on paper were “positive.”\nNext line."


def test_repair_offsets_point_into_original():
    r = repair(MOJIBAKE)
    i = r.text.index("Kirby")
    j = r.to_original(i)
    assert MOJIBAKE[j:j + 5] == "Kirby"
    r2 = repair(DAGGER)
    k = r2.text.index("set by")
    assert DAGGER[r2.to_original(k):r2.to_original(k) + 6] == "set by"


def test_clean_text_untouched():
    assert repair("plain “quoted” text — fine").text == "plain “quoted” text — fine"


def test_legacy_encoding_is_decoded(tmp_path: Path):
    p = tmp_path / "latin.txt"
    p.write_bytes("Le président a déclaré que les négociations continuaient à Genève cette semaine.".encode("cp1252"))
    doc = read_document(p)
    assert "président" in doc.text and doc.encoding != "utf-8"


def test_utf16_with_bom(tmp_path: Path):
    p = tmp_path / "u16.txt"
    p.write_bytes("The talks produced a breakthrough, officials said.".encode("utf-16"))
    assert "breakthrough" in read_document(p).text


@pytest.mark.parametrize("content,needle", [
    (b"", "empty"),
    (b"   \n\n", "empty"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
])
def test_bad_files(tmp_path: Path, content: bytes, needle: str):
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    with pytest.raises(FactcheckError) as err:
        read_document(p)
    assert needle in str(err.value) and str(p) in str(err.value)


def test_missing_file():
    with pytest.raises(FactcheckError, match="no such file"):
        read_document("does/not/exist.txt")


def test_markdown_markup_blanked_keeps_offsets():
    md = "# Title here\n\nThe **army** said [troops](http://x.y) left.\n"
    out = blank_markdown(md)
    assert len(out) == len(md)
    assert "**" not in out and "#" not in out and "http" not in out
    assert out.index("army") == md.index("army")


def test_front_matter_date():
    doc = document_from_text("---\ndate: 2022-03-30\n---\nThe talks ended without a deal, officials said.\n",
                             source="a.md")
    assert doc.date == "2022-03-30"
    assert "date:" not in doc.text
