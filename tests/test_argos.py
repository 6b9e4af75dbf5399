"""The Argos engine on real packages built by tests/argos_package.py (word-dictionary models)."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.argos_package import (
    EN_ES,
    EN_ES_ALTERNATIVES,
    FR_EN,
    build_package,
    build_random_model,
)
from tests.conftest import CORPUS, REPO
from translator.engines import EngineError
from translator.engines.argos import ArgosEngine, ArgosOptions
from translator.engines.registry import EngineOptions, Engines
from translator.packages import PackageError, install_package


@pytest.fixture(scope="session")
def packages_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """en->es and fr->en installed in their own packages folder, once per session."""
    built = tmp_path_factory.mktemp("argos-built")
    installed = tmp_path_factory.mktemp("argos-packages")
    install_package(
        build_package(built, "en", "es", EN_ES, alternatives=EN_ES_ALTERNATIVES), installed
    )
    install_package(build_package(built, "fr", "en", FR_EN), installed)
    return installed


@pytest.fixture(scope="module")
def engine(packages_dir: Path) -> ArgosEngine:
    """One engine for the module: models load once, as in a run."""
    return ArgosEngine(packages_dir=packages_dir)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Share the war", "Compartir the guerra"),
        ("World", "Mundo"),
        ("Peace in Brussels, not war.", "Peace in Bruselas, not guerra."),
        ("The United Kingdom wants peace", "The Reino Unido wants paz"),
        # A dictionary word is a piece only after a space: "“war" keeps its word.
        ("Jean-Noël said: “war is a war”", "Jean-Noël said: “war is a guerra”"),
        ("snake_case_name stays", "snake_case_name stays"),
    ],
    ids=[
        "dictionary-words",
        "single-word",
        "punctuation",
        "multiword-piece",
        "typography",
        "underscores",
    ],
)
def test_translates_words_through_the_package(
    engine: ArgosEngine, text: str, expected: str
) -> None:
    assert engine.translate("en", "es", [text]) == [expected]


def test_keeps_order_duplicates_and_blank_texts(engine: ArgosEngine) -> None:
    texts = ["war", "", "World", "war", "  ", "Share the World"]
    assert engine.translate("en", "es", texts) == [
        "guerra",
        "",
        "Mundo",
        "guerra",
        "  ",
        "Compartir the Mundo",
    ]


def test_long_sentence_is_not_truncated_at_256_tokens(engine: ArgosEngine) -> None:
    text = " ".join(["the war"] * 60)  # 300 pieces with the character model
    assert engine.translate("en", "es", [text]) == [" ".join(["the guerra"] * 60)]


def test_a_sentence_too_long_for_the_model_fails_alone(engine: ArgosEngine) -> None:
    # The test model has 1024 positions; a failed sentence is None, the others go on.
    assert engine.translate("en", "es", ["war", "x" * 1100, "peace"]) == ["guerra", None, "paz"]


def test_a_failed_sentence_is_recorded_with_its_reason(packages_dir: Path) -> None:
    """As Apertium does: the run's report says which sentence failed, and why."""
    engine = ArgosEngine(packages_dir=packages_dir)
    too_long = "x" * 1100
    assert engine.translate("en", "es", ["war", too_long]) == ["guerra", None]
    [failure] = engine.failures
    assert failure.startswith(f"{too_long[:60]!r}: ") and len(failure) > 66


def test_decoding_settings_name_the_search_not_the_machine(packages_dir: Path) -> None:
    def settings(**options: object) -> str:
        return ArgosEngine(packages_dir=packages_dir, **options).decoding_settings()

    assert settings() == "beam=2 n_best=8 compute=auto length=2x+10, ended within, markers apart"
    assert settings(beam_size=3) != settings()
    assert settings(inter_threads=4, device="auto", max_batch_tokens=64) == settings()


def test_many_sentences_in_small_token_batches(packages_dir: Path) -> None:
    engine = ArgosEngine(packages_dir=packages_dir, max_batch_tokens=16)
    texts = [f"war {'x' * n}" for n in range(1, 31)]
    assert engine.translate("en", "es", texts) == [f"guerra {'x' * n}" for n in range(1, 31)]


def test_pivots_through_english(engine: ArgosEngine) -> None:
    assert engine.route("fr", "es") == ["fr", "en", "es"]
    assert ("fr", "es") in engine.pairs()
    assert engine.translate("fr", "es", ["la guerre et la paix à Bruxelles"]) == [
        "la guerra et la paz à Bruselas"
    ]


def test_direct_route_and_pairs(engine: ArgosEngine) -> None:
    assert engine.route("en", "es") == ["en", "es"]
    assert engine.pairs() == {("en", "es"), ("fr", "en"), ("fr", "es")}


@pytest.mark.parametrize(
    ("required", "expected"),
    [
        ([], "Compartir: the guerra"),
        (["conflicto"], "Compartir: the conflicto"),
        (["guerra"], "Compartir: the guerra"),
        (["absent"], "Compartir: the guerra"),  # none has it: the best, the glossary flags it
    ],
    ids=["none", "second-best", "best", "unreachable"],
)
def test_required_terms_pick_a_hypothesis(
    engine: ArgosEngine, required: list[str], expected: str
) -> None:
    texts = ["Share: the war", "the war"]
    assert engine.translate("en", "es", texts, [required, []]) == [expected, "the guerra"]


def test_required_terms_apply_to_the_last_leg_of_a_pivot(engine: ArgosEngine) -> None:
    assert engine.translate("fr", "es", ["la guerre"], [["conflicto"]]) == ["la conflicto"]


def test_inline_markers_survive(engine: ArgosEngine) -> None:
    text = "Share \ue000the war\ue001 now"
    assert engine.translate("en", "es", [text]) == ["Compartir \ue000the guerra\ue001 now"]


def test_a_word_inside_a_tag_is_translated_and_the_tag_stays_on_it(engine: ArgosEngine) -> None:
    """Glued to a marker, "war" would lose its word-start piece ("▁war"): sent apart,
    and the tags put back on their words."""
    text = "The \ue000war\ue001 in \ue002Brussels\ue003."
    assert engine.translate("en", "es", [text]) == [
        "The \ue000guerra\ue001 in \ue002Bruselas\ue003."
    ]


def test_missing_pair_says_how_to_install(engine: ArgosEngine) -> None:
    with pytest.raises(EngineError, match=r"de→es.*models install FILE\.argosmodel"):
        engine.translate("de", "es", ["Krieg"])


def test_version_names_packages_along_the_route(engine: ArgosEngine) -> None:
    direct = engine.version("en", "es")
    pivot = engine.version("fr", "es")
    assert direct.startswith("argos en-es 1.0 ") and "beam" not in direct  # a setting
    assert pivot.startswith("argos fr-en 1.0 ") and " + en-es 1.0 " in pivot
    assert direct == ArgosEngine(packages_dir=engine._packages_dir).version("en", "es")


def test_version_changes_when_the_package_content_does(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    install_package(build_package(tmp_path, "en", "es", {"war": "guerra"}), first)
    install_package(build_package(tmp_path, "en", "es", {"war": "lucha"}), second)
    versions = {ArgosEngine(packages_dir=d).version("en", "es") for d in (first, second)}
    assert len(versions) == 2


def test_target_prefix_is_sent_and_stripped(tmp_path: Path) -> None:
    # The dictionary model is position-aligned: a forced first token shifts it by one,
    # so the first source piece is skipped. That shift proves the prefix was used.
    archive = build_package(tmp_path, "en", "es", {"war": "guerra"}, target_prefix="es")
    install_package(archive, tmp_path / "packages")
    engine = ArgosEngine(packages_dir=tmp_path / "packages")
    assert engine.translate("en", "es", ["war war"]) == ["guerra"]


def test_bpe_package_without_sacremoses_fails_clearly(tmp_path: Path) -> None:
    archive = build_package(tmp_path, "en", "es", {"war": "guerra"})
    bpe = tmp_path / "bpe.argosmodel"
    with zipfile.ZipFile(archive) as src, zipfile.ZipFile(bpe, "w") as dst:
        for item in src.infolist():
            name = item.filename.replace("sentencepiece.model", "bpe.model")
            dst.writestr(name, src.read(item))
    # Refused as it is installed: loaded once there, as a run would load it.
    with pytest.raises(PackageError, match="BPE tokenizer, which needs sacremoses"):
        install_package(bpe, tmp_path / "packages")
    assert not (tmp_path / "packages").exists() or not any((tmp_path / "packages").iterdir())


@pytest.mark.parametrize(
    "settings",
    [{"device": "tpu"}, {"beam_size": 0}, {"max_batch_tokens": 0}, {"length_ratio": 0}],
    ids=["device", "beam", "batch", "ratio"],
)
def test_bad_options_are_refused(settings: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        ArgosOptions(**settings)  # type: ignore[arg-type]


def test_argostranslate_is_never_imported_for_sentencepiece_packages(packages_dir: Path) -> None:
    script = f"""
import json, sys
from pathlib import Path
from translator.engines.argos import ArgosEngine
loaded = {{"at_import": [m for m in ("argostranslate", "ctranslate2") if m in sys.modules]}}
engine = ArgosEngine(packages_dir=Path({str(packages_dir)!r}))
loaded["output"] = engine.translate("en", "es", ["war"])
loaded["after_translate"] = [m for m in ("argostranslate", "ctranslate2") if m in sys.modules]
print(json.dumps(loaded))
"""
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {
        "at_import": [],
        "output": ["guerra"],
        "after_translate": ["ctranslate2"],
    }


def test_a_model_that_runs_on_fails_the_sentence_whatever_it_is_batched_with(
    tmp_path: Path,
) -> None:
    """Random weights emit no end token: decoding stops at the batch's cap, set by its
    longest input. Cut there, a short sentence would get more text next to a long one;
    reaching its own cap, it is no translation, alone or not, and the run says so."""
    lines = (CORPUS / "en.txt").read_text("utf-8").splitlines()[:400]
    archive = build_random_model(
        tmp_path, training_text=lines, layers=1, d_model=64, heads=2, ffn=128,
        vocab_size=512, sentencepiece_vocab=400,
    )  # fmt: skip
    install_package(archive, tmp_path / "packages")
    short, long = "Peace now.", " ".join(lines[:3])
    alone = ArgosEngine(packages_dir=tmp_path / "packages")
    together = ArgosEngine(packages_dir=tmp_path / "packages")
    assert alone.translate("en", "es", [short]) == [None]
    assert together.translate("en", "es", [short, long]) == [None, None]
    assert alone.failures and "no end within" in alone.failures[0]


def test_a_direct_pair_wins_over_a_pivot_through_english(
    packages_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """fr->es: Argos only through English (fr->en, en->es), Apertium directly."""
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(packages_dir))
    with Engines("auto", EngineOptions()) as engines:
        assert engines.for_pair("fr", "es").name == "apertium"
        assert engines.for_pair("en", "es").name == "argos"  # direct in both: Argos first
