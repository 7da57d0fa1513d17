"""A cold start stays light: scoring an article imports no heavy library it does not need."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from conftest import REPO

sys.path.insert(0, str(REPO / "eval"))
from benchmarks.cold_start import ANSWER  # the benchmark's LLM answer: numbers as strings

HEAVY = ("quantulum3", "inflect", "sklearn", "datasets", "scipy", "spacy")


def test_an_llm_answer_is_scored_without_heavy_imports(tmp_path: Path) -> None:
    answer = tmp_path / "answer.json"
    answer.write_text(json.dumps(ANSWER, indent=2))
    script = (
        "import sys; from factgold.cli import main; status = main(['eval', sys.argv[1], '--format', 'json']); "
        f"print({HEAVY!r}.__class__(m for m in {HEAVY!r} if m in sys.modules), status, file=sys.stderr)"
    )
    done = subprocess.run([sys.executable, "-c", script, str(answer)], capture_output=True, text=True, check=True)
    assert done.stderr.strip().splitlines()[-1] == "() 0"
