"""Reading and writing Pabulib ``.pb`` files: every vote type, bad files name line and column,
the reader streams, and what is written reads back to an equal election.

The real files in ../shared/data/real/pabulib are checked against a plain reading with the csv
module written here (not the reader under test); those tests are skipped only when that folder
is absent.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from samenspraak.core.errors import InputError
from samenspraak.core.pb import (
    Election,
    Project,
    Vote,
    VoteType,
    dump_pb,
    iter_pb,
    read_pb,
    write_pb,
)
from tests.realdata import REAL_PABULIB, needs_real_pabulib

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pb"

REAL = REAL_PABULIB
REAL_FILES = sorted(REAL.glob("*.pb")) if REAL.is_dir() else []
needs_real_data = needs_real_pabulib

HEAD = "META\nkey;value\nbudget;100\nvote_type;{vote_type}\nPROJECTS\nproject_id;cost\nA;60\nB;40\n"


# --- reading -------------------------------------------------------------------------------


def test_reads_the_approval_fixture_with_quotes_empty_cells_and_extras():
    election = read_pb(FIXTURES / "approval.pb")
    assert list(election.meta)[:4] == ["description", "country", "unit", "instance"]
    assert election.meta["rule"] == "greedy"
    assert election.budget == Decimal("100000")
    assert election.vote_type is VoteType.APPROVAL
    assert [p.id for p in election.projects] == ["A", "B", "C", "D"]
    assert [p.cost for p in election.projects] == [Decimal(n) for n in (63000, 36000, 30000, 5000)]
    bankjes = election.project("B")
    assert bankjes.name == 'Bankjes; plantenbakken en een "groene" route'
    assert dict(bankjes.extra) == {"votes": "6", "category": "greenery", "selected": "1"}
    assert "category" not in election.project("D").extra  # an empty cell is left out
    assert election.project("A").extra["category"] == "sport,children"
    assert len(election.votes) == 10
    assert election.votes[0] == Vote("1", ("A", "B"), None, {"age": "34", "sex": "F"})
    assert election.votes[2].vote == ("B", "A")  # as in the file
    assert dict(election.votes[3].extra) == {}
    assert election.votes[9].vote == ("C", "D")


def test_reads_cumulative_points_and_decimal_commas():
    election = read_pb(FIXTURES / "cumulative.pb")
    assert election.vote_type is VoteType.CUMULATIVE
    assert election.budget == Decimal("1000.50")
    assert [p.cost for p in election.projects] == [Decimal("500.25"), 400, Decimal("300.5")]
    assert [(v.voter_id, v.vote, v.points) for v in election.votes] == [
        ("a", ("p1", "p2"), (6, 4)),
        ("b", ("p3",), (10,)),
        ("c", ("p2", "p3", "p1"), (5, 3, 2)),
        ("d", (), ()),
    ]


def test_reads_scoring_with_zero_points_and_ordinal_in_rank_order():
    scoring = read_pb(FIXTURES / "scoring.pb")
    assert scoring.vote_type is VoteType.SCORING
    assert scoring.votes[0].points == (5, 0, 3)
    ordinal = read_pb(FIXTURES / "ordinal.pb")
    assert ordinal.vote_type is VoteType.ORDINAL
    assert [v.vote for v in ordinal.votes] == [("m", "k", "n"), ("k", "m"), ("n", "l", "k", "m")]
    assert all(v.points is None for v in ordinal.votes)


def test_text_path_and_stream_give_the_same_election():
    path = FIXTURES / "approval.pb"
    text = path.read_text(encoding="utf-8")
    with path.open(encoding="utf-8", newline="") as stream:
        from_stream = read_pb(stream)
    assert read_pb(path) == read_pb(text) == from_stream


def test_accepts_a_bom_crlf_blank_lines_lower_case_sections_and_spaces():
    text = (
        "\ufeffmeta\r\nkey;value\r\n budget ; 250,75 \r\n\r\nvote_type;choose-1\r\n"
        "Projects\r\nproject_id;cost;name\r\n 7 ; 12,5 ; Bank \r\n8;3;\r\n\r\n"
        "VOTES\r\nvoter_id;vote\r\nv1; 7 , 8 \r\nv2;8,\r\nv3;\r\n;\r\n"
    )
    election = read_pb(text)
    assert election.budget == Decimal("250.75")
    assert election.vote_type is VoteType.APPROVAL  # choose-1 is approval of one project
    assert election.meta["vote_type"] == "choose-1"
    assert election.projects == (Project("7", Decimal("12.5"), "Bank"), Project("8", Decimal(3)))
    assert [v.vote for v in election.votes] == [("7", "8"), ("8",), ()]


def test_points_written_as_whole_decimals_are_read_as_integers():
    text = HEAD.format(vote_type="cumulative") + "VOTES\nvoter_id;vote;points\n1;A,B;3.0,2\n"
    assert read_pb(text).votes[0].points == (3, 2)


def test_ids_are_shared_with_the_projects():
    election = read_pb(FIXTURES / "approval.pb")
    ids = {project.id: project.id for project in election.projects}
    assert all(p is ids[p] for vote in election.votes for p in vote.vote)


def test_meta_projects_and_extras_are_read_only():
    election = read_pb(FIXTURES / "approval.pb")
    for mapping in (election.meta, election.projects[0].extra, election.votes[0].extra):
        assert isinstance(mapping, MappingProxyType)
        with pytest.raises(TypeError):
            mapping["x"] = "y"  # type: ignore[index]


# --- malformed files -----------------------------------------------------------------------

VOTES = "VOTES\nvoter_id;vote\n"
BAD = [
    pytest.param("", None, None, "pb_empty_file", id="empty"),
    pytest.param("\n\n", None, None, "pb_empty_file", id="only-blank-lines"),
    pytest.param("PROJECTS\nproject_id;cost\n", 1, None, "pb_missing_section", id="no-meta"),
    pytest.param("META\nkey;value\nbudget;1\n", 4, None, "pb_missing_section", id="no-projects"),
    pytest.param(
        "META\nkey;value\nbudget;1\nVOTES\nvoter_id;vote\n", 4, None, "pb_missing_section",
        id="votes-before-projects",
    ),
    pytest.param(HEAD.format(vote_type="approval"), 9, None, "pb_missing_section", id="no-votes"),
    pytest.param(
        HEAD.format(vote_type="approval") + "VOTES\n", 10, None, "pb_header", id="no-votes-header"
    ),
    pytest.param("META\nkey;value\nvote_type;approval\nPROJECTS\n", 4, "budget",
                 "pb_missing_budget", id="no-budget"),
    pytest.param("META\nkey;value\nbudget;veel\nPROJECTS\n", 3, "budget", "pb_budget",
                 id="budget-not-a-number"),
    pytest.param("META\nkey;value\nbudget;-5\nPROJECTS\n", 3, "budget", "pb_budget",
                 id="negative-budget"),
    pytest.param("META\nkey;value\nbudget;5\nvote_type;knapsack\nPROJECTS\n", 4, "vote_type",
                 "pb_vote_type", id="unknown-vote-type"),
    pytest.param("META\nkey;value\nbudget;5\nbudget;6\nPROJECTS\n", 4, "budget",
                 "pb_duplicate_meta", id="duplicate-meta-key"),
    pytest.param("META\nkey;value\nbudget;5;6\nPROJECTS\n", 3, None, "pb_columns",
                 id="meta-three-columns"),
    pytest.param("META\nkey;value;x\nbudget;5\nPROJECTS\n", 2, None, "pb_header",
                 id="meta-header-three-columns"),
    pytest.param("META\nkey;value\nbudget;5\nPROJECTS\nproject_id;name\n", 5, "cost",
                 "pb_missing_column", id="no-cost-column"),
    pytest.param("META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost;cost\n", 5, "cost",
                 "pb_header", id="duplicate-column"),
    pytest.param("META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost\nA;ten\n", 6, "cost",
                 "pb_cost", id="cost-not-a-number"),
    pytest.param("META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost\nA;1.000,50\n", 6,
                 "cost", "pb_cost", id="cost-with-thousands"),
    pytest.param("META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost\nA;NaN\n", 6, "cost",
                 "pb_cost", id="cost-nan"),
    pytest.param("META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost\nA;1\nA;2\n", 7,
                 "project_id", "pb_duplicate_project", id="duplicate-project"),
    pytest.param("META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost\n;1\n", 6,
                 "project_id", "pb_empty_id", id="empty-project-id"),
    pytest.param('META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost\n"A,B";1\n', 6,
                 "project_id", "pb_project_id", id="comma-in-project-id"),
    pytest.param("META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost;name\nA;1\n", 6, None,
                 "pb_columns", id="project-too-few-columns"),
    pytest.param("META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost\nA;1;x\n", 6, None,
                 "pb_columns", id="project-too-many-columns"),
    pytest.param(HEAD.format(vote_type="approval") + VOTES + "1;A\n2;A,C\n", 12, "vote",
                 "pb_unknown_project", id="unknown-project"),
    pytest.param(HEAD.format(vote_type="approval") + VOTES + "1;A, C\n", 11, "vote",
                 "pb_unknown_project", id="unknown-project-with-space"),
    pytest.param(HEAD.format(vote_type="approval") + VOTES + "1;A,B,A\n", 11, "vote",
                 "pb_vote_twice", id="project-twice-in-a-vote"),
    pytest.param(HEAD.format(vote_type="approval") + VOTES + "1;A\n\n1;B\n", 13, "voter_id",
                 "pb_duplicate_voter", id="duplicate-voter"),
    pytest.param(HEAD.format(vote_type="approval") + VOTES + ";A\n", 11, "voter_id",
                 "pb_empty_id", id="empty-voter-id"),
    pytest.param(HEAD.format(vote_type="approval") + VOTES + "1;A;x\n", 11, None, "pb_columns",
                 id="vote-too-many-columns"),
    pytest.param(HEAD.format(vote_type="approval") + VOTES + "1\n", 11, None, "pb_columns",
                 id="vote-too-few-columns"),
    pytest.param(HEAD.format(vote_type="approval") + "VOTES\nvoter_id;points\n", 10, "vote",
                 "pb_missing_column", id="no-vote-column"),
    pytest.param(HEAD.format(vote_type="cumulative") + VOTES, 10, "points",
                 "pb_missing_column", id="cumulative-without-points-column"),
    pytest.param(HEAD.format(vote_type="cumulative") + "VOTES\nvoter_id;vote;points\n1;A,B;3\n",
                 11, "points", "pb_points_count", id="fewer-points-than-projects"),
    pytest.param(HEAD.format(vote_type="scoring") + "VOTES\nvoter_id;vote;points\n1;A;3,1\n",
                 11, "points", "pb_points_count", id="more-points-than-projects"),
    pytest.param(HEAD.format(vote_type="scoring") + "VOTES\nvoter_id;vote;points\n1;A;2.5\n",
                 11, "points", "pb_points", id="fractional-points"),
    pytest.param(HEAD.format(vote_type="scoring") + "VOTES\nvoter_id;vote;points\n1;A;veel\n",
                 11, "points", "pb_points", id="points-not-a-number"),
    pytest.param(HEAD.format(vote_type="scoring") + "VOTES\nvoter_id;vote;points\n1;A,,B;1,2\n",
                 11, "vote", "pb_vote_entry", id="gap-in-a-scored-vote"),
    pytest.param('META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost;name\nA;1;"Bank"x"\n', 6,
                 None, "pb_quoting", id="bad-quotes"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "line", "field", "code"), BAD)
def test_a_malformed_file_names_the_line_and_what_was_expected(text, line, field, code):
    with pytest.raises(InputError) as caught:
        read_pb(text, filename="wijk.pb")
    error = caught.value
    assert error.code == code
    assert error.location.file == "wijk.pb"
    assert error.location.line == line
    assert error.location.field == field
    assert error.message_nl and error.message_en and error.message_nl != error.message_en
    message = str(error)
    assert message.startswith("bestand wijk.pb") and "(file wijk.pb" in message
    if line is not None:
        assert f"regel {line}" in message and f"line {line}" in message


def test_the_unknown_project_is_named():
    text = HEAD.format(vote_type="approval") + VOTES + "1;A,Zwembad\n"
    with pytest.raises(InputError, match="'Zwembad'"):
        read_pb(text)


def test_a_file_that_is_not_utf8_is_an_input_error(tmp_path):
    path = tmp_path / "latin1.pb"
    path.write_bytes(
        (HEAD.format(vote_type="approval") + VOTES + "1;A\n").encode() + "2;B;é\n".encode("latin-1")
    )
    with pytest.raises(InputError) as caught:
        read_pb(path)
    assert caught.value.code == "pb_encoding"
    assert caught.value.location.file == "latin1.pb"
    assert caught.value.location.line == 12


# --- streaming -----------------------------------------------------------------------------


class CountingStream(io.StringIO):
    """A text stream that counts the lines handed out."""

    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.lines_read = 0

    def __next__(self) -> str:
        line = super().__next__()
        self.lines_read += 1
        return line

    def __iter__(self) -> Iterator[str]:
        return self


def big_file(voters: int, *, bad_at: int | None = None) -> str:
    rows = [f"{i};{'A' if i % 2 else 'A,B'}" for i in range(voters)]
    if bad_at is not None:
        rows[bad_at] = f"{bad_at};A,Onbekend"
    return HEAD.format(vote_type="approval") + VOTES + "\n".join(rows) + "\n"


def test_iter_pb_reads_the_head_first_and_the_ballots_line_by_line():
    stream = CountingStream(big_file(5000))
    pb = iter_pb(stream, filename="groot.pb")
    assert pb.budget == 100 and [p.id for p in pb.projects] == ["A", "B"]
    assert stream.lines_read <= 11  # META and PROJECTS, and the VOTES line at most
    ballots = iter(pb)
    first = [next(ballots) for _ in range(3)]
    assert [v.voter_id for v in first] == ["0", "1", "2"]
    assert stream.lines_read < 20  # not the 5,000 ballot lines
    rest = list(ballots)
    assert len(rest) == 4997 and stream.lines_read == 5010
    with pytest.raises(RuntimeError):
        iter(pb)


def test_a_bad_ballot_far_down_raises_when_the_stream_reaches_it():
    pb = iter_pb(big_file(1000, bad_at=900))
    seen = []
    with pytest.raises(InputError) as caught:
        for vote in pb:
            seen.append(vote.voter_id)
    assert len(seen) == 900
    assert caught.value.location.line == 10 + 900 + 1


# --- writing -------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["approval", "cumulative", "scoring", "ordinal"])
def test_a_fixture_written_and_read_back_is_equal(name):
    election = read_pb(FIXTURES / f"{name}.pb")
    text = write_pb(election)
    assert read_pb(text) == election
    out = io.StringIO()
    dump_pb(election, out)
    assert out.getvalue() == text


def test_the_writer_quotes_what_needs_quotes_and_keeps_costs_as_written():
    election = read_pb(FIXTURES / "approval.pb")
    text = write_pb(election)
    assert 'B;36000;"Bankjes; plantenbakken en een ""groene"" route";6;greenery;1\n' in text
    assert text.startswith("META\nkey;value\ndescription;")
    assert "\nPROJECTS\nproject_id;cost;name;votes;category;selected\n" in text
    assert "\nVOTES\nvoter_id;vote;age;sex\n1;A,B;34;F\n" in text
    assert "\n3;B,A;29;F\n" in text
    assert "\n4;A,B;;\n" in text
    cumulative = write_pb(read_pb(FIXTURES / "cumulative.pb"))
    assert "\np1;500.25;Fietsenstalling\n" in cumulative
    assert "\nvoter_id;vote;points\na;p1,p2;6,4\n" in cumulative
    assert "budget;1000,50\n" in cumulative  # META is text: kept as written


def election(meta=None, projects=None, votes=()):
    return Election(
        meta=meta or {"budget": "10", "vote_type": "approval"},
        projects=projects or (Project("A", Decimal(5)),),
        votes=votes,
    )


@pytest.mark.parametrize(
    "bad",
    [
        election(meta={"vote_type": "approval"}),
        election(meta={"budget": "10", "PROJECTS": ""}),
        election(meta={"budget": " 10"}),
        election(projects=(Project("A,B", Decimal(1)),)),
        election(projects=(Project("", Decimal(1)),)),
        election(projects=(Project("A", Decimal(1)), Project("A", Decimal(2)))),
        election(projects=(Project("A", Decimal(-1)),)),
        election(projects=(Project("A", Decimal("NaN")),)),
        election(projects=(Project("A", Decimal(1), extra={"cost": "2"}),)),
        election(votes=(Vote("1", ("B",)),)),
        election(votes=(Vote("1", ("A", "A")),)),
        election(votes=(Vote("1", ("A",)), Vote("1", ()))),
        election(votes=(Vote("1", ("A",), (3,)),)),
        election(votes=(Vote("1", ("A",), extra={"vote": "x"}),)),
        election(meta={"budget": "10", "vote_type": "scoring"}, votes=(Vote("1", ("A",)),)),
        election(meta={"budget": "10", "vote_type": "cumulative"}, votes=(Vote("1", ("A",), ()),)),
    ],
)
def test_the_writer_refuses_what_no_pb_file_can_hold(bad):
    with pytest.raises(ValueError):
        write_pb(bad)


# Text as Pabulib holds it: stripped (the reader strips cells), no control characters apart
# from a line break inside a name, and with the characters that need quoting.
_CHARS = st.characters(blacklist_categories=("Cc", "Cs")) | st.sampled_from([";", '"', ",", "\n"])
_TEXT = st.text(_CHARS, max_size=12).map(str.strip)
_ID = st.text(_CHARS.filter(lambda c: c not in ",\n"), min_size=1, max_size=6).map(str.strip)
_ID = _ID.filter(bool)
_KEY = st.text(st.characters(whitelist_categories=("Ll", "Nd")) | st.just("_"), min_size=1,
               max_size=8)  # fmt: skip
_AMOUNT = st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False)


@st.composite
def elections(draw, vote_type: str) -> Election:
    meta_keys = draw(st.lists(_KEY, max_size=4, unique=True).filter(
        lambda keys: not {"budget", "vote_type", "meta", "projects", "votes"} & set(keys)
    ))  # fmt: skip
    meta = {"description": draw(_TEXT), "budget": str(draw(_AMOUNT)), "vote_type": vote_type}
    meta |= {key: draw(_TEXT) for key in meta_keys}
    ids = draw(st.lists(_ID, min_size=1, max_size=6, unique=True))
    project_keys = draw(st.lists(_KEY.filter(lambda k: k not in ("name", "cost")), max_size=3,
                                 unique=True))  # fmt: skip
    projects = tuple(
        Project(
            id=project_id,
            cost=draw(_AMOUNT),
            name=draw(_TEXT),
            extra={key: value for key in project_keys if (value := draw(_TEXT))},
        )
        for project_id in ids
    )
    voter_ids = draw(st.lists(_ID, max_size=8, unique=True))
    vote_keys = draw(st.lists(_KEY.filter(lambda k: k not in ("vote", "points")), max_size=3,
                              unique=True))  # fmt: skip
    votes = []
    for voter_id in voter_ids:
        chosen = tuple(draw(st.permutations(ids))[: draw(st.integers(0, len(ids)))])
        points = None
        if vote_type in ("cumulative", "scoring"):
            low = 0 if vote_type == "cumulative" else -5
            points = tuple(draw(st.integers(low, 100)) for _ in chosen)
        extra = {key: value for key in vote_keys if (value := draw(_TEXT))}
        votes.append(Vote(voter_id, chosen, points, extra))
    return Election(meta=meta, projects=projects, votes=tuple(votes))


@pytest.mark.parametrize("vote_type", ["approval", "cumulative", "scoring", "ordinal"])
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_read_of_write_is_the_same_election(vote_type, data):
    original = data.draw(elections(vote_type))
    text = write_pb(original)
    assert read_pb(text) == original
    assert write_pb(read_pb(text)) == text


# --- the real Pabulib files ----------------------------------------------------------------


def plain_sections(path: Path) -> dict[str, list[dict[str, str]]]:
    """The three sections as lists of {column: cell}, by the csv module alone; empty cells
    left out. META as one {key: value} row."""
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = [row for row in csv.reader(file, delimiter=";") if any(c.strip() for c in row)]
    sections: dict[str, list[dict[str, str]]] = {}
    name, header = "", []
    index = 0
    while index < len(rows):
        row = rows[index]
        if len(row) == 1 and row[0].strip().upper() in ("META", "PROJECTS", "VOTES"):
            name, header = row[0].strip().upper(), [c.strip() for c in rows[index + 1]]
            sections[name] = []
            index += 2
            continue
        cells = dict(zip(header, (c.strip() for c in row), strict=True))
        sections[name].append({k: v for k, v in cells.items() if v})
        index += 1
    sections["META"] = [{row["key"]: row.get("value", "") for row in sections["META"]}]
    return sections


@needs_real_data
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.stem)
def test_a_real_file_reads_as_the_csv_module_sees_it(path):
    election = read_pb(path)
    plain = plain_sections(path)
    assert dict(election.meta) == plain["META"][0]
    assert int(election.meta["num_projects"]) == len(election.projects)
    assert int(election.meta["num_votes"]) == len(election.votes)
    assert election.vote_type is VoteType.APPROVAL
    assert [p.id for p in election.projects] == [row["project_id"] for row in plain["PROJECTS"]]
    assert [p.cost for p in election.projects] == [
        Decimal(row["cost"]) for row in plain["PROJECTS"]
    ]
    assert [p.name for p in election.projects] == [row["name"] for row in plain["PROJECTS"]]
    votes = plain["VOTES"]
    assert [v.voter_id for v in election.votes] == [row["voter_id"] for row in votes]
    assert [",".join(v.vote) for v in election.votes] == [row.get("vote", "") for row in votes]
    # The votes column of PROJECTS counts the approvals of each project.
    counts = {p.id: 0 for p in election.projects}
    for vote in election.votes:
        for project_id in vote.vote:
            counts[project_id] += 1
    assert {p.id: int(p.extra["votes"]) for p in election.projects} == counts


@needs_real_data
@pytest.mark.parametrize("path", REAL_FILES, ids=lambda p: p.stem)
def test_rewriting_a_real_file_keeps_its_content(path, tmp_path):
    election = read_pb(path)
    copy = tmp_path / path.name
    copy.write_text(write_pb(election), encoding="utf-8")
    assert read_pb(copy) == election
    assert plain_sections(copy) == plain_sections(path)
