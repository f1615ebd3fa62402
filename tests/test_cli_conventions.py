"""Conventional CLI behaviour: --version, '-' for standard input, --color with NO_COLOR and
FORCE_COLOR, help that shows defaults and choices (no Python types), validated formats, unique
claim ids, plural-correct messages, one formatter registry, end positions, quiet pipes."""
import json
import re
import subprocess

import pytest

from conftest import EXAMPLES, ROOT, run_cli
from factcheck import __version__

A = str(EXAMPLES / "moscow_briefing.md")
B = str(EXAMPLES / "washington_briefing.txt")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
LIVE_BLOG = ("Russian forces are withdrawing from positions around Kyiv, the ministry said.\n\n"
             "The talks in Istanbul will resume on Friday, officials said.\n\n"
             "Russian forces are withdrawing from positions around Kyiv, the ministry said.\n")


def test_version():
    res = run_cli("--version")
    assert res.returncode == 0 and res.stdout.strip() == f"factcheck {__version__}"


def _walk(cmd, path=()):
    yield path, cmd
    for name, sub in getattr(cmd, "commands", {}).items():
        yield from _walk(sub, path + (name,))


def test_every_option_and_argument_is_described():
    from factcheck.cli.main import command

    missing = [(" ".join(path), p.name) for path, cmd in _walk(command()) for p in cmd.params
               if not (getattr(p, "help", None) or "").strip() and p.name not in ("help",)]
    assert missing == []


def test_help_shows_defaults_and_choices_not_python_types():
    for cmd in (["compare"], ["check"], ["extract"], ["eval"], ["db", "add"], ["rules", "list"]):
        out = run_cli(*cmd, "--help").stdout
        assert not re.search(r"<(list\[|path>|str>|int|float|text>)", out), (cmd, out)
        assert "{" not in out.split("\n")[0], out  # usage line: ARTICLE_A, not {ARTICLE_A}
    compare = " ".join(run_cli("compare", "--help").stdout.split())  # help wraps lines
    assert "[default: warning]" in compare and "[default: 5]" in compare and "[default: 0.35]" in compare
    assert "[text|json|sarif|junit|github|html]" in compare and "[self-contradiction|dispute|update]" in compare
    new = run_cli("rules", "new", "--help").stdout
    for kind in ("opposing", "negation", "numeric", "date", "modality", "pattern"):
        assert kind in new


def test_extract_format_is_validated(tmp_path):
    out = tmp_path / "c.xml"
    res = run_cli("extract", B, "-f", "xml", "-o", str(out))
    assert res.returncode == 2 and "xml" in res.stderr and not out.exists()
    res = run_cli("extract", B, "-f", "json")
    assert res.returncode == 0 and json.loads(res.stdout)["claims"]


def test_extract_from_stdin_gives_unique_ids_that_check_accepts(tmp_path):
    res = run_cli("extract", "-", stdin=LIVE_BLOG)
    assert res.returncode == 0, res.stderr
    import yaml

    claims = yaml.safe_load(res.stdout)["claims"]
    assert len(claims) == 3 and claims[0]["text"] == claims[2]["text"]
    assert len({c["id"] for c in claims}) == 3 and claims[2]["id"].startswith(claims[0]["id"])
    # The ids are stable: the same input gives the same ids.
    assert yaml.safe_load(run_cli("extract", "-", stdin=LIVE_BLOG).stdout)["claims"] == claims
    f = tmp_path / "claims.yaml"
    f.write_text(res.stdout)
    res = run_cli("check", str(f), "--no-db")
    assert res.returncode == 0, res.stderr
    res = run_cli("check", "-", "--no-db", stdin=f.read_text())  # a claim file on standard input
    assert res.returncode == 0 and "in 3 claims" in res.stdout, res.stderr


def test_compare_reads_one_article_from_stdin():
    with open(A, encoding="utf-8") as fh:
        text = fh.read()
    res = run_cli("compare", "-", B, "--no-db", "-f", "json", stdin=text)
    assert res.returncode == 1, res.stderr
    doc = json.loads(res.stdout)
    assert doc["sources"][0] == "<stdin>" and doc["findings"]
    res = run_cli("compare", "-", "-", stdin=text)
    assert res.returncode == 2 and "standard input" in res.stderr


@pytest.mark.parametrize("args, env, colored", [
    ([], {}, False),                                   # a pipe: no colour
    (["--color", "always"], {}, True),
    (["--color", "never"], {"FORCE_COLOR": "1", "NO_COLOR": None}, False),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": None}, True),
    ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # NO_COLOR wins over FORCE_COLOR
])
def test_color(args, env, colored):
    res = run_cli("compare", A, B, "--no-db", *args, env=env)
    assert res.returncode == 1, res.stderr
    assert bool(ANSI.search(res.stdout)) is colored
    assert not ANSI.search(res.stderr)  # no progress display or colour on a pipe


def test_global_color_option_before_the_command():
    res = run_cli("--color", "always", "compare", A, B, "--no-db")
    assert ANSI.search(res.stdout)


def test_formats_come_from_one_registry():
    from factcheck.cli.common import ReportFormat
    from factcheck.report import FORMATS

    assert [f.value for f in ReportFormat] == list(FORMATS)
    for fmt in FORMATS:  # every format renders a comparison as well as a check
        res = run_cli("compare", A, B, "--no-db", "-f", fmt)
        assert res.returncode == 1 and res.stdout.strip(), (fmt, res.stderr)


def test_sarif_and_github_carry_end_positions():
    sarif = json.loads(run_cli("compare", A, B, "--no-db", "-f", "sarif").stdout)
    region = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["endLine"] >= region["startLine"] and region["endColumn"] >= 1
    with open(A, encoding="utf-8") as fh:
        lines = fh.read().split("\n")
    first = json.loads(run_cli("compare", A, B, "--no-db", "-f", "json").stdout)["findings"][0]["a"]
    # the end position points just past the claim's last character in the original file
    assert lines[first["end_line"] - 1][:first["end_column"] - 1].endswith(first["text"][-10:])
    for gh in run_cli("compare", A, B, "--no-db", "-f", "github").stdout.splitlines():
        m = re.search(r",line=(\d+),col=\d+,endLine=(\d+)(,endColumn=\d+)?,", gh)
        assert m, gh
        # GitHub takes endColumn only on a one-line annotation
        assert bool(m.group(3)) == (m.group(1) == m.group(2)), gh


def test_location_record_is_shared():
    from factcheck.claims import Claim
    from factcheck.errors import FactcheckError
    from factcheck.location import Location
    from factcheck.ruleset import Problem

    c = Claim(text="Prices rose sharply in March.", source="a.md", line=3, column=5, end_line=3, end_column=34)
    assert c.location == Location("a.md", 3, 5, 3, 34) and str(c.location) == "a.md:3:5"
    assert Problem("r.yaml", 2, 7, "bad").location == Location("r.yaml", 2, 7)
    assert FactcheckError("bad", "c.yaml", 4, 1).location == Location("c.yaml", 4, 1)


def test_db_messages_locations_ignores_and_duplicates(tmp_path):
    db = tmp_path / "db"
    res = run_cli("db", "add", B, B, "--db", str(db))
    assert res.returncode == 0, res.stderr
    assert "Added 9 claims (0 already stored, 9 repeated in the input) in 1 batch;" in res.stderr
    res = run_cli("db", "add", B, "--db", str(db))
    assert "Added 0 claims (9 already stored) in 0 batches" in res.stderr
    new = tmp_path / "new.txt"
    new.write_text("Russian forces are withdrawing from positions around Kyiv, the ministry said.\n")
    other = tmp_path / "other.txt"
    other.write_text("Bread prices in Odesa were stable this week, traders said.\n")
    res = run_cli("compare", str(new), str(other), "--db", str(db))
    assert res.returncode == 1 and ":None" not in res.stdout
    assert re.search(r"washington_briefing\.txt:\d+:\d+", res.stdout), res.stdout


def test_ignore_of_stored_claims_is_honoured(tmp_path):
    text = "claims:\n  - id: kyiv\n    text: It was a repositioning, not a real withdrawal from Kyiv.\n"
    ignore = "    ignore:\n      - {rule: conflict.withdrawal-vs-repositioning, reason: settled}\n"
    new = tmp_path / "new.yaml"
    new.write_text("claims:\n  - id: n1\n    text: Russian forces are withdrawing from positions around Kyiv.\n")
    rules = {}
    for name, body in (("plain", text), ("ignoring", text + ignore)):
        (tmp_path / f"{name}.yaml").write_text(body)
        assert run_cli("db", "add", str(tmp_path / f"{name}.yaml"), "--db", str(tmp_path / name)).returncode == 0
        res = run_cli("check", str(new), "--db", str(tmp_path / name), "-f", "json")
        rules[name] = [f["rule"] for f in json.loads(res.stdout)["findings"]]
    assert "conflict.withdrawal-vs-repositioning" in rules["plain"]
    assert "conflict.withdrawal-vs-repositioning" not in rules["ignoring"]


def test_db_add_bad_index_creates_nothing(tmp_path):
    db = tmp_path / "db"
    res = run_cli("db", "add", B, "--db", str(db), "--index", "foo")
    assert res.returncode == 2 and "--index must be one of" in res.stderr
    assert not db.exists()


def test_index_json_is_git_ignored():
    res = subprocess.run(["git", "check-ignore", "-q", "claims_db/index.json"], cwd=ROOT)
    assert res.returncode == 0


def test_progress_only_on_a_terminal():
    import io

    from factcheck.progress import Progress, wanted

    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert wanted(False, Tty()) and not wanted(True, Tty()) and not wanted(False, io.StringIO())
    with Progress(False).task("x", 10) as advance:  # disabled: nothing is drawn, advancing is free
        advance(5)


def _on_a_terminal(*args) -> tuple[int, str]:
    """Run factcheck with stderr on a pseudo-terminal, as for a person at a shell; what it drew."""
    import os
    import pty
    import sys

    master, slave = pty.openpty()
    env = {**os.environ, "NO_COLOR": "", "TERM": "xterm", "COLUMNS": "120"}
    proc = subprocess.Popen([sys.executable, "-m", "factcheck", *args], cwd=ROOT, env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=300)
    os.close(master)
    return proc.returncode, ANSI.sub("", b"".join(chunks).decode("utf-8", "replace"))


@pytest.mark.slow
def test_progress_display_on_a_real_terminal(tmp_path):
    """The process itself is under test: its stderr is a terminal."""
    rc, shown = _on_a_terminal("compare", A, B, "--no-db", "-o", str(tmp_path / "r.txt"))
    assert rc == 1
    assert re.search(r"embeddings .*\d+/18 claims", shown), shown[-2000:]
    assert re.search(r"judging .*\d+/\d+ pairs", shown) and "ETA" in shown
    assert "Batches" not in shown  # sentence-transformers' own bar stays off


@pytest.mark.slow
def test_db_add_progress_has_counts_rate_and_eta(tmp_path):
    rc, shown = _on_a_terminal("db", "add", A, B, "--db", str(tmp_path / "db"))
    assert rc == 0
    assert re.search(r"adding claims .*\d+/18 claims .*/s ETA", shown), shown[-2000:]
    assert "Added 18 claims (0 already stored) in 1 batch;" in shown
    rc, quiet = _on_a_terminal("db", "add", A, "--db", str(tmp_path / "db"), "--quiet")
    assert rc == 0 and quiet.strip() == ""  # --quiet: no display, no summary


def test_the_entry_point_starts_the_parser_only_for_commands_that_judge():
    from factcheck.cli.entry import starts_cold

    assert starts_cold(["compare", "a.md", "b.md"]) and starts_cold(["-v", "check", "claims.yaml"])
    assert not starts_cold(["compare", "--help"]) and not starts_cold(["db", "add", "x.md"])
    assert not starts_cold([]) and not starts_cold(["rules", "test"])
