"""The MeasEval importer: quantities as numeric facts, measured entities as entities, and what is left out.

The fixtures under data/import/measeval/ have the shape of the task's release: text/DOC.txt
and tsv/DOC.tsv with its eight tab-separated columns, JSON (or nothing) in ``other``. The
first text starts with "Naïve", a two-byte character in UTF-8, before every annotation:
the offsets are code points, as in the release.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from factgold.errors import UsageError
from factgold.read.importers import importer
from factgold.read.importers.measeval import import_files
from factgold.read.labels import Labels
from factgold.read.validate import validate_document

DATA = Path(__file__).parent / "data" / "import" / "measeval"
DOC1, DOC2, DOC3 = "S0000000000000001-100", "S0000000000000002-200", "S0000000000000003-300"
TEXT1 = (
    "Naïve mice from four cohorts were housed at approximately 22 °C. Body mass rose by 12% after a 3\u20134 week "
    "diet, and the cages stayed at room temperature."
)
TEXT2 = "Grain size was <2 mm in 40 samples, whose mean age was 54.8 years; the survey began in 2010."


def _fact(
    fact_id: str, start: int, end: int, text: str, kind: str, value: float, unit: str | None, **rest: Any
) -> dict[str, Any]:
    fact = {
        "id": fact_id,
        "mention": {"start": start, "end": end, "text": text},
        "kind": kind,
        "value": value,
        "unit": unit,
        "approximate": False,
        "bound": None,
        "subject": None,
        "subject_text": text,
        "property": "other",
        "time": None,
    }
    fact.update(rest)
    return fact


def _entity(entity_id: str, start: int, end: int, text: str) -> dict[str, Any]:
    return {
        "id": entity_id,
        "type": "MeasuredEntity",
        "name": text,
        "mentions": [{"start": start, "end": end, "text": text, "kind": "nominal"}],
    }


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "measeval"
    shutil.copytree(DATA, target)
    return target


def test_documents_as_hand_computed() -> None:
    imported = import_files([DATA], {})
    assert imported.labels == Labels(("MeasuredEntity",), ())
    assert [doc["id"] for doc in imported.documents] == [DOC1, DOC2, DOC3]
    first, second, third = imported.documents

    assert first["text"] == TEXT1
    assert first["title"] == TEXT1
    assert (first["source"], first["language"]) == ("MeasEval", "en")
    # "Naïve mice" is the MeasuredEntity of sets 2 and 3: one entity.
    assert first["entities"] == [
        _entity("E1", 0, 10, "Naïve mice"),
        _entity("E2", 21, 28, "cohorts"),
        _entity("E3", 104, 108, "diet"),
        _entity("E4", 118, 123, "cages"),
    ]
    assert first["numeric_facts"] == [
        # IsCount without a unit: a cardinal.
        _fact("N1", 16, 20, "four", "cardinal", 4.0, None, subject="E2", subject_text="cohorts"),
        # IsApproximate with the unit °C: the value read from "approximately 22".
        _fact(
            "N2",
            44,
            63,
            "approximately 22 °C",
            "quantity",
            22.0,
            "°C",
            approximate=True,
            subject="E1",
            subject_text="Naïve mice",
        ),
        # Unit %: a percent; the MeasuredProperty names what is measured, the entity comes
        # through its HasProperty link.
        _fact("N3", 83, 86, "12%", "percent", 12.0, None, subject="E1", subject_text="Body mass"),
    ]  # "3-4 week" (a closed range) and "room temperature" have no single value.
    assert (first["relations"], first["time_expressions"]) == ([], [])

    assert second["entities"] == [_entity("E1", 27, 34, "samples")]
    assert second["numeric_facts"] == [
        # An open range: the sign sets the bound; a MeasuredProperty without an entity.
        _fact("N1", 15, 20, "<2 mm", "quantity", 2.0, "mm", bound="upper", subject_text="Grain size"),
        _fact("N2", 24, 26, "40", "cardinal", 40.0, None, subject="E1", subject_text="samples"),
        _fact("N3", 55, 65, "54.8 years", "quantity", 54.8, "years", subject="E1", subject_text="mean age"),
        # An empty other column and no MeasuredEntity: a bare cardinal.
        _fact("N4", 87, 91, "2010", "cardinal", 2010.0, None),
    ]
    # A paragraph without a TSV file: no quantity was annotated in it.
    assert third["text"] == "No quantity is stated in this paragraph."
    assert (third["entities"], third["numeric_facts"]) == ([], [])


def test_every_document_meets_the_gold_contract() -> None:
    imported = import_files([DATA], {})
    for doc in imported.documents:
        assert validate_document(doc, house_rules=False, labels=imported.labels) == []


def test_the_offsets_are_code_points() -> None:
    text = (DATA / "text" / f"{DOC1}.txt").read_text(encoding="utf-8")
    # "cohorts" starts at code point 21, one byte later in UTF-8 ("ï" is two bytes).
    assert text[21:28] == "cohorts"
    assert text.encode("utf-8")[22:29].decode("utf-8") == "cohorts"
    row = (DATA / "tsv" / f"{DOC1}.tsv").read_text(encoding="utf-8").splitlines()[2]
    assert row.split("\t")[3:7] == ["21", "28", "T2-1", "cohorts"]


def test_what_is_not_carried_is_counted_with_examples() -> None:
    assert import_files([DATA], {}).not_carried == (
        "1 Qualifier spans not carried (a fact has no field for them): T4-3 'after a 3\u20134 week diet' (S0000000000000001-100.tsv)",
        "3 MeasuredProperty spans carried as subject_text only (offsets not carried): T2-3 'Body mass' (S0000000000000001-100.tsv), T2-1 'Grain size' (S0000000000000002-200.tsv), T2-3 'mean age' (S0000000000000002-200.tsv)",
        "2 unparsed quantities (no single value the number reader reads; not facts): T1-4 '3\u20134 week' (S0000000000000001-100.tsv) [range], T1-5 'room temperature' (S0000000000000001-100.tsv) [unreadable]",
        "1 quantity modifiers not carried: T1-3 IsMean (S0000000000000002-200.tsv)",
        "1 quantities without a MeasuredEntity or MeasuredProperty (subject_text is the quantity's text): T1-4 '2010' (S0000000000000002-200.tsv)",
    )


def test_registered_and_options() -> None:
    imported = importer("measeval")([DATA], {"source": "Elsevier OA-STM", "language": "en-GB"})
    assert {(doc["source"], doc["language"]) for doc in imported.documents} == {("Elsevier OA-STM", "en-GB")}


def test_a_tsv_file_and_the_trial_layout(tmp_path: Path) -> None:
    # One TSV file: its text is found in ../text/.
    one = import_files([DATA / "tsv" / f"{DOC2}.tsv"], {})
    assert [doc["id"] for doc in one.documents] == [DOC2]
    assert one.documents == import_files([DATA], {}).documents[1:2]
    # The trial release names the text folder txt/.
    trial = _copy(tmp_path)
    (trial / "text").rename(trial / "txt")
    assert import_files([trial], {}).documents == import_files([DATA], {}).documents


@pytest.mark.parametrize(
    ("value", "unit", "mods", "expected"),
    [
        ("≥16", None, ["IsRange"], (16.0, "cardinal", None, False, "lower")),
        ("\u223c5%", "%", ["IsApproximate"], (5.0, "percent", None, True, None)),
        ("eight-year", "year", [], (8.0, "quantity", "year", False, None)),
        ("less than 5 m/s", "m/s", ["IsRange"], (5.0, "quantity", "m/s", False, "upper")),
        ("300±15 °C", "°C", ["HasTolerance"], (300.0, "quantity", "°C", False, None)),
        ("\u22124°C", "°C", [], (-4.0, "quantity", "°C", False, None)),
        ("5 or more", None, ["IsRange"], (5.0, "cardinal", None, False, "lower")),
        ("1,200 kg", "kg", [], (1200.0, "quantity", "kg", False, None)),
        ("5 mM", "mM", [], (5.0, "quantity", "mM", False, None)),
        ("5mM", "mM", [], (5.0, "quantity", "mM", False, None)),
        ("25 m", "m", [], (25.0, "quantity", "m", False, None)),
    ],
)
def test_quantity_values(
    tmp_path: Path, value: str, unit: str | None, mods: list[str], expected: tuple[Any, ...]
) -> None:
    imported = _one_quantity(tmp_path, value, unit, mods)
    (fact,) = imported.documents[0]["numeric_facts"]
    assert (fact["value"], fact["kind"], fact["unit"], fact["approximate"], fact["bound"]) == expected
    assert validate_document(imported.documents[0], house_rules=False, labels=imported.labels) == []


@pytest.mark.parametrize(
    ("value", "unit", "mods", "problem"),
    [
        ("1.5\u20132.6 m", "m", ["IsRange"], "range"),
        ("two to three", None, ["IsRange"], "range"),
        ("between 185 km and 215 km", "km", ["IsRange"], "range"),
        ("4.5 kg, 6 kg and 13 kg", "kg", ["IsList"], "list"),
        ("1:10", None, [], "unreadable"),
        # A unit not written as a whole word of the span would leave letters read as a
        # scale ("m" as million): 5 mM was once imported as 5,000,000.
        ("5 mM", "M", [], "unit not in the span"),
        ("25 m", "metres", [], "unit not in the span"),
    ],
)
def test_quantities_without_one_value(
    tmp_path: Path, value: str, unit: str | None, mods: list[str], problem: str
) -> None:
    imported = _one_quantity(tmp_path, value, unit, mods)
    assert imported.documents[0]["numeric_facts"] == []
    assert imported.not_carried[-1] == (
        f"1 unparsed quantities (no single value the number reader reads; not facts): T1-1 {value!r} (D-1.tsv) [{problem}]"
    )


def _one_quantity(tmp_path: Path, value: str, unit: str | None, mods: list[str]) -> Any:
    import json

    (tmp_path / "text").mkdir()
    (tmp_path / "tsv").mkdir()
    text = f"The value was {value} here."
    (tmp_path / "text" / "D-1.txt").write_text(text, encoding="utf-8")
    other = {key: item for key, item in (("mods", mods), ("unit", unit)) if item}
    row = ["D-1", "1", "Quantity", "14", str(14 + len(value)), "T1-1", value, json.dumps(other, ensure_ascii=False)]
    header = "docId\tannotSet\tannotType\tstartOffset\tendOffset\tannotId\ttext\tother"
    (tmp_path / "tsv" / "D-1.tsv").write_text(header + "\n" + "\t".join(row) + "\n", encoding="utf-8")
    return import_files([tmp_path], {})


def _break(tmp_path: Path, line: int, replace: tuple[str, str]) -> Path:
    folder = _copy(tmp_path)
    path = folder / "tsv" / f"{DOC1}.tsv"
    lines = path.read_text(encoding="utf-8").split("\n")
    assert replace[0] in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(*replace)
    path.write_text("\n".join(lines), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("line", "replace", "message"),
    [
        (
            1,
            ("annotId", "id"),
            "{tsv}:1: expected the header docId annotSet annotType startOffset endOffset annotId text other (tab-separated)",
        ),
        (3, ("\t{", " {"), "{tsv}:3: expected 8 tab-separated columns, found 7"),
        # Byte offsets: "cohorts" is at bytes 22-29, code points 21-28.
        (3, ("21\t28", "22\t29"), "{tsv}:3: offsets [22, 29) select 'ohorts ', not 'cohorts'"),
        (3, ("21\t28", "21\tx"), "{tsv}:3: offsets '21', 'x' are not integers"),
        (3, ("21\t28", "21\t999"), "{tsv}:3: offsets [21, 999) are not a span of the 151-character text"),
        (3, ('"T1-1"}', '"T1-1"'), "{tsv}:3: the other column is not JSON ("),
        (3, ("T1-1", "T9-1"), "{tsv}:3: T2-1 HasQuantity 'T9-1' is not a Quantity of annotSet 1"),
        (
            3,
            ("MeasuredEntity", "Unit"),
            "{tsv}:3: annotType 'Unit' is not one of Quantity, MeasuredEntity, MeasuredProperty, Qualifier",
        ),
        (3, ("S0000000000000001-100", "S1"), "{tsv}:3: docId 'S1' is not the file's document 'S0000000000000001-100'"),
        (3, ("T2-1", "T1-1"), "{tsv}:3: annotId 'T1-1' repeats in annotSet 1 (first at line 2)"),
        (2, ("Quantity", "Qualifier"), "{tsv}:2: annotSet 1 has 0 Quantity rows, not one"),
    ],
)
def test_malformed_input_is_refused_in_one_line(
    tmp_path: Path, line: int, replace: tuple[str, str], message: str
) -> None:
    folder = _break(tmp_path, line, replace)
    with pytest.raises(UsageError) as caught:
        import_files([folder], {})
    expected = message.format(tsv=folder / "tsv" / f"{DOC1}.tsv")
    if expected.endswith("("):  # the JSON parser's own words follow
        assert str(caught.value).startswith(expected)
        assert "\n" not in str(caught.value)
    else:
        assert str(caught.value) == expected


def test_missing_files_are_refused(tmp_path: Path) -> None:
    folder = _copy(tmp_path)
    (folder / "text" / f"{DOC2}.txt").unlink()
    with pytest.raises(UsageError, match=r"S0000000000000002-200\.tsv: no text file S0000000000000002-200\.txt in "):
        import_files([folder], {})
    with pytest.raises(UsageError, match="expected MeasEval's tsv/ and text/"):
        import_files([folder / "tsv"], {})
    with pytest.raises(UsageError, match="also read from"):
        import_files([DATA, DATA / "tsv" / f"{DOC1}.tsv"], {})
