"""The Apertium engine, run for real: installed pairs, and fake modes that hang or die."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CORPUS, SEED
from translator.engines import EngineError
from translator.engines.apertium import ApertiumEngine
from translator.engines.apertium import tagger as tagger_module
from translator.engines.apertium.modes import (
    DEFAULT_MODES_DIR,
    _words,
    installed_versions,
    mode_files,
)
from translator.engines.apertium.pipeline import Pipeline, Stages, load_stages
from translator.engines.apertium.processes import Group
from translator.engines.apertium.stream import decode_record, encode_record, tidy_spaces
from translator.engines.apertium.tagger import Taggers, first_holding

SEED_SENTENCES = [
    "The United Kingdom and France blame Russia for delaying ceasefire negotiations in Ukraine",
    "Russia recently rejected a U.S. proposal for a full and immediate 30-day ceasefire.",
    "Lammy was blunt in his remarks",
]

# A fake pipeline stage: echoes each NUL-terminated record, but hangs on HANG,
# exits on DIE, and hangs on FLAKY only the first time (a flag file remembers).
FAKE_STAGE = """\
import sys, time
from pathlib import Path
flag = Path(sys.argv[-1]) / "flaky-seen"
record = b""
while chunk := sys.stdin.buffer.read1(1):
    if chunk != b"\\0":
        record += chunk
        continue
    if b"HANG" in record or (b"FLAKY" in record and not flag.exists()):
        flag.touch()
        time.sleep(3600)
    if b"DIE" in record:
        sys.exit(3)
    sys.stdout.buffer.write(record + b"\\0")
    sys.stdout.buffer.flush()
    record = b""
"""


@pytest.fixture(scope="module")
def engine() -> Iterator[ApertiumEngine]:
    with ApertiumEngine() as eng:
        yield eng


@pytest.fixture
def fake_modes(tmp_path: Path) -> Path:
    """A modes folder whose eng-spa pipeline is the fake stage above (a real process)."""
    stage = tmp_path / "fake-stage"
    stage.write_text(f"#!{sys.executable}\n{FAKE_STAGE}", encoding="utf-8")
    stage.chmod(0o755)
    modes = tmp_path / "modes"
    modes.mkdir()
    # apertium-wblank-mode adds -z after the program name; the stage ignores it.
    (modes / "eng-spa.mode").write_text(f"'{stage}' '{tmp_path}'\n", encoding="utf-8")
    return modes


def corpus_lines(n: int) -> list[str]:
    return (CORPUS / "en.txt").read_text(encoding="utf-8").splitlines()[:n]


def children() -> set[int]:
    """Pids of this process's children, zombies included."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.add(int(stat.parent.name))
    return found


# --- pairs and versions ------------------------------------------------------


def test_installed_pairs_use_iso_639_1(engine: ApertiumEngine) -> None:
    assert {("en", "es"), ("es", "en"), ("fr", "es"), ("es", "fr")} <= engine.pairs()


def test_pairs_map_codes_and_skip_variants(tmp_path: Path) -> None:
    for name in ["eng-spa", "fr-es", "cat-por", "spa-eng_US", "eco-fr-es", "ast-spa"]:
        (tmp_path / f"{name}.mode").write_text("cat\n", encoding="utf-8")
    assert ApertiumEngine(modes_dir=tmp_path).pairs() == {
        ("en", "es"),
        ("fr", "es"),
        ("ca", "pt"),
        ("ast", "es"),
    }


def test_version_names_debian_packages(engine: ApertiumEngine) -> None:
    version = engine.version("en", "es")
    assert version.startswith("apertium 3.")
    assert "apertium-eng-spa " in version
    # The programs of the stages: lt-proc, lrx-proc.
    assert "; lttoolbox " in version and "; apertium-lex-tools " in version
    assert "apertium-fr-es " in engine.version("fr", "es")


@pytest.fixture
def fake_pair(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Path]:
    """A mode whose two stages run programs found on PATH and read two data files."""
    bin_dir, data = tmp_path / "bin", tmp_path / "data"
    bin_dir.mkdir()
    data.mkdir()
    for program in ("lt-proc", "lrx-proc"):
        (bin_dir / program).write_text("#!/bin/sh\ncat\n")
        (bin_dir / program).chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    (data / "xx-yy.automorf.bin").write_bytes(b"morph")
    (data / "xx-yy.autolex.bin").write_bytes(b"lex")
    mode = tmp_path / "xx-yy.mode"
    mode.write_text(
        f"lt-proc '{data}/xx-yy.automorf.bin' | lrx-proc -m $1 '{data}/xx-yy.autolex.bin'\n"
    )
    return {"mode": mode, "bin": bin_dir, "data": data, "dpkg": tmp_path / "dpkg"}


def _dpkg(root: Path, lists: dict[str, list[Path]], status: str) -> None:
    (root / "info").mkdir(parents=True)
    for name, paths in lists.items():
        listing = "".join(f"{path}\n" for path in ["/usr/share", *paths])
        (root / "info" / f"{name}.list").write_text(listing)
    (root / "status").write_text(status)


STATUS = (
    "Package: apertium\nStatus: install ok installed\nVersion: 3.8.3-1\n\n"
    "Package: lttoolbox\nStatus: install ok installed\nVersion: 3.7.1-1\n\n"
    "Package: apertium-lex-tools\nStatus: install ok installed\nVersion: 0.4.2-2\n\n"
    "Package: apertium-xx-yy\nStatus: install ok installed\nArchitecture: all\n"
    "Version: 0.8.1-2\n\n"
    "Package: apertium-old\nStatus: deinstall ok config-files\nVersion: 0.1-1\n"
)


def test_versions_come_from_dpkgs_database(fake_pair: dict[str, Path]) -> None:
    """As `dpkg-query -S` and `-W` would answer: the owners of the mode, of its stages'
    programs and of its data, from the file lists (architecture-qualified names too),
    with the versions of installed packages only."""
    mode, bin_dir, data = fake_pair["mode"], fake_pair["bin"], fake_pair["data"]
    _dpkg(
        fake_pair["dpkg"],
        {
            "apertium-xx-yy": [mode, data / "xx-yy.automorf.bin", data / "xx-yy.autolex.bin"],
            "lttoolbox": [bin_dir / "lt-proc"],
            "apertium-lex-tools:amd64": [bin_dir / "lrx-proc"],
            "apertium-old": [],
        },
        STATUS,
    )
    assert installed_versions([mode], fake_pair["dpkg"]) == {
        str(mode): "apertium 3.8.3-1; apertium-lex-tools 0.4.2-2; apertium-xx-yy 0.8.1-2; "
        "lttoolbox 3.7.1-1"
    }
    # An upgrade of lttoolbox alone changes the key.
    status = STATUS.replace("Version: 3.7.1-1", "Version: 3.7.6-1")
    (fake_pair["dpkg"] / "status").write_text(status)
    assert "lttoolbox 3.7.6-1" in installed_versions([mode], fake_pair["dpkg"])[str(mode)]


def test_what_no_package_owns_is_hashed(fake_pair: dict[str, Path]) -> None:
    """A pair built by hand: the mode, the programs and the data files it names are
    hashed, so a rebuilt data file changes the key."""
    mode, data = fake_pair["mode"], fake_pair["data"]
    missing = fake_pair["dpkg"]  # no dpkg database at all: off Debian
    first = installed_versions([mode], missing)[str(mode)]
    assert first.startswith("apertium unknown; unpackaged sha256:")
    assert installed_versions([mode], missing)[str(mode)] == first
    (data / "xx-yy.autolex.bin").write_bytes(b"lex, rebuilt")
    assert installed_versions([mode], missing)[str(mode)] != first
    # The same data, owned by a package: its version stands for the data.
    _dpkg(missing, {"apertium-xx-yy": [data / "xx-yy.autolex.bin"]}, STATUS)
    partly = installed_versions([mode], missing)[str(mode)]
    assert partly.startswith("apertium 3.8.3-1; apertium-xx-yy 0.8.1-2; unpackaged sha256:")
    (data / "xx-yy.autolex.bin").write_bytes(b"lex, rebuilt again")
    assert installed_versions([mode], missing)[str(mode)] == partly


@pytest.mark.parametrize("mode", sorted(DEFAULT_MODES_DIR.glob("*.mode")), ids=lambda p: p.stem)
def test_a_mode_is_split_into_words_as_the_shell_does(mode: Path) -> None:
    text = mode.read_text("utf-8")
    assert _words(text) == shlex.split(text)


def test_mode_files_name_programs_and_data(fake_pair: dict[str, Path]) -> None:
    mode, bin_dir, data = fake_pair["mode"], fake_pair["bin"], fake_pair["data"]
    assert mode_files(mode) == [
        str(mode),
        str(bin_dir / "lt-proc"),
        str(data / "xx-yy.automorf.bin"),
        str(bin_dir / "lrx-proc"),
        str(data / "xx-yy.autolex.bin"),
    ]


def test_unknown_pair_names_pair_and_install_command(engine: ApertiumEngine) -> None:
    with pytest.raises(EngineError, match=r"en->de.*apt-get install apertium-"):
        engine.translate("en", "de", ["Hello."])


# --- the stream format --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "plain words.",
        r"brackets [x] {y} <z> ^a$ b/c d\e @f ~g",
        "tab\there, two  spaces, line\nbreak, paragraph\n\nbreak",
        "\ue001marked\ue002 words\ue003",
        "Read \ue000the \ue001report\ue801\ue800\uf000now, \ue002\uf001\ue802 here.",
        "Two \ue000lines\nhere\ue800 [x] \ue001\\AT&T\ue801.",
        "See \ue000\uf000the photo\ue800 and \ue001the photo\uf001\ue801 here.",
        "\ue000a\ue800\ue800 b, \ue801x \ue001a\ue801",
        "Control\n\x1f and | bars\t\x1f\u3000 \ue000a|b\uf000\ue800 kept.",
    ],
    ids=[
        "plain",
        "specials",
        "whitespace",
        "markers",
        "pairs-around-words",
        "pairs-and-specials",
        "image-at-the-edges-of-a-link",
        "stray-closes",
        "separator-lookalikes",
    ],
)
def test_encoding_round_trips_through_an_echo(text: str) -> None:
    record = encode_record(text, 7)
    assert record.endswith(b"\0") and record.count(b"\0") == 1
    assert decode_record(record[:-1].decode(), 7) == text


def test_record_without_its_mark_is_rejected() -> None:
    with pytest.raises(Exception, match="without its mark"):
        decode_record("Hola.", 7)


# --- real translation ----------------------------------------------------------


def test_seed_sentences_en_es(engine: ApertiumEngine) -> None:
    assert all(s in SEED.read_text(encoding="utf-8") for s in SEED_SENTENCES)
    out = engine.translate("en", "es", SEED_SENTENCES)
    assert len(out) == 3
    assert all(t and t.strip() for t in out)
    assert "Rusia" in (out[0] or "") and "Rusia" in (out[1] or "")
    assert (out[1] or "").endswith(".")
    assert not any("*" in (t or "") or "\0" in (t or "") for t in out)


def test_fr_es(engine: ApertiumEngine) -> None:
    [out] = engine.translate("fr", "es", ["La Russie a rejeté la proposition des États-Unis."])
    assert out is not None
    assert "Rusia" in out and "Estados Unidos" in out and out.endswith(".")


@pytest.mark.parametrize(
    "text",
    [
        "\ue001Russia\ue002 rejected the proposal.",
        "Russia rejected \ue003the proposal\ue004.",
        "The \ue005\ue006Kremlin said so.",
    ],
    ids=["around-first-word", "around-phrase", "adjacent-markers"],
)
def test_markers_come_back(engine: ApertiumEngine, text: str) -> None:
    [out] = engine.translate("en", "es", [text])
    assert out is not None
    markers = [c for c in text if "\ue000" <= c <= "\uf8ff"]
    assert [c for c in out if "\ue000" <= c <= "\uf8ff"] == markers


B, B_, A, A_ = "\ue000", "\ue800", "\ue001", "\ue801"  # <b> </b> <a> </a>


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (f"The {B}NATO{B_}'s allies met.", f"Los aliados de la {B}OTAN{B_} cumplieron."),
        (f"The {B}big economy{B_} grew.", f"La {B}economía grande{B_} creció."),
        (f"The {B}coalition of the willing{B_} met.", f"La {B}coalición del dispuesto{B_}"),
        (f"The house {B}of{B_} {A}the{A_} mayor.", f"La casa {B}del{B_} alcalde."),
        (f"Read {A}the {B}report{B_}{A_} now.", f"{A}el {B}informe{B_}{A_} ahora."),
        (f"Buy {B}Smith & Wesson guns{B_} now.", f"{B}Smith & Wesson pistolas{B_}"),
        (f"Read {A}\uf000the full report{A_} now.", f"{A}\uf000el informe lleno{A_}"),
        (f"The {A}Moscow police{A_} must pay.", f"La {A}policía de Moscú{A_} tiene"),
        (f"Click the {A}link text here{A_} now.", f"{A}texto de enlace aquí{A_}"),
    ],
    ids=[
        "possessive-reordered",
        "adjective-reordered",
        "words-merged",
        "words-of-two-pairs-merged",
        "nested",
        "a-sign-apertium-keeps-outside",
        "an-image-at-the-start",
        "words-apertium-splits-around-another",
        "a-word-moved-in-between",
    ],
)
def test_a_tag_pair_goes_with_its_words(engine: ApertiumEngine, text: str, expected: str) -> None:
    """Word-bound blanks: the tags stay around the words they were around, wherever
    transfer puts them (as Apertium's own HTML mode does)."""
    [out] = engine.translate("en", "es", [text])
    assert out is not None and expected in out


def test_special_characters_and_edges_survive(engine: ApertiumEngine) -> None:
    texts = ["The price [in dollars] is $5 <approx> ~ 4 @home.", "", "   ", "  Russia said.\n"]
    out = engine.translate("en", "es", texts)
    assert out[0] is not None
    for char in "[]$<>~@":
        assert char in out[0]
    assert out[1:3] == ["", "   "]
    assert out[3] is not None and out[3].startswith("  Rusia") and out[3].endswith(".\n")


def test_words_a_dropped_hyphen_joined_keep_their_spaces(engine: ApertiumEngine) -> None:
    """eng-spa's rules for "three-year" and the like drop the hyphen and write the words
    they reorder glued ("la guerradetres años"); a hyphen that stays stays glued."""
    texts = [
        SEED_SENTENCES[1],
        "To end the three-year war, a 29-year-old conductor flew.",
        "COVID-19 hit 10-12 countries, and Jean-Noël Barrot sent an e-mail.",
    ]
    ceasefire, war, kept = engine.translate("en", "es", texts)
    assert ceasefire is not None and "alto el fuego de 30 días." in ceasefire
    assert war is not None and "la guerra de tres años, " in war
    assert "director de 29 años" in war
    assert kept is not None and all(w in kept for w in ("COVID-19", "10-12", "Jean-Noël"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The \ue000three-year\ue800 war.", "La guerra de \ue000tres años\ue800."),
        ("The \ue000three\ue800-year war.", "La guerra de \ue000tres\ue800 años."),
        ("The three-year \ue000war\ue800.", "La \ue000guerra\ue800 de tres años."),
        ("A \ue000COVID-19\ue800 case.", "Un \ue000COVID-19\ue800 caso."),
        ("A \ue0002013-2014\ue800 season.", "Un \ue0002013-2014\ue800 estación."),
    ],
)
def test_a_hyphen_in_a_tag_pair_is_mended_too(
    engine: ApertiumEngine, text: str, expected: str
) -> None:
    """A link or bold around the compound, or half of it, or beside it."""
    assert engine.translate("en", "es", [text]) == [expected]


@pytest.mark.parametrize(
    ("out", "text"),
    [
        ("la guerra[ ]de[ ]tres años", "la guerra de tres años"),  # the hyphen went
        ("COVID[ ]-[ ]19", "COVID-19"),  # it stayed
        ("de 29 años[ ], casi", "de 29 años, casi"),  # a blank moved beside a comma
        ("23 años[ ]-Religión", "23 años-Religión"),  # or beside a hyphen it left
        ("[[\ue000]]COVID[[/]][ ][[\ue000]]-[[/]][ ][[\ue000]]19[[/]]", "\ue000COVID-19\ue800"),
        (
            "[[\ue000]]guerra[[/]][ ]de[ ][[\ue001]]tres[[/]]",
            "\ue000guerra\ue800 de \ue001tres\ue801",
        ),
    ],
)
def test_a_hyphens_blanks_are_a_space_only_between_words(out: str, text: str) -> None:
    assert decode_record(f"{out}[#7]", 7) == text


def test_a_deleted_words_space_beside_punctuation_goes(engine: ApertiumEngine) -> None:
    """From the seed: Apertium leaves the blank of a word it drops ("We must":
    "Tenemos") after the opening quote, or before a comma."""
    texts = [
        "“We must get Russia to take peace seriously.",
        "“While he should be agreeing to a ceasefire, Putin continues to bomb Ukraine.",
    ]
    quote, comma = engine.translate("en", "es", texts)
    assert quote is not None and quote.startswith("“Tenemos ")
    assert comma is not None and "alto el fuego, Putin" in comma


@pytest.mark.parametrize(
    ("source", "translation", "tidied"),
    [
        ("“We must go.", "“ Tenemos que ir .", "“Tenemos que ir."),
        ('"We must go," he said.', '" Tenemos que ir ," dijo.', '"Tenemos que ir," dijo.'),
        ("¿Where , then?", "¿ Dónde , entonces?", "¿Dónde , entonces?"),  # the author's
        ("He said “ no ” twice.", "Dijo “ no ” dos veces.", "Dijo “ no ” dos veces."),
        # a tag's markers around the words: "“<a>We must</a> act", "<b>a truce</b>, then"
        ("“\ue000We must\ue800 go.", "“ \ue000Tenemos\ue800 ir.", "“\ue000Tenemos\ue800 ir."),
        (
            "\ue000a truce\ue800, then",
            "\ue000una tregua\ue800 , entonces",
            "\ue000una tregua\ue800, entonces",
        ),
    ],
)
def test_tidy_spaces(source: str, translation: str, tidied: str) -> None:
    assert tidy_spaces(source, translation) == tidied


def test_batch_is_deterministic_whatever_came_before(engine: ApertiumEngine) -> None:
    lines = corpus_lines(500)
    forward = engine.translate("en", "es", lines)
    backward = engine.translate("en", "es", lines[::-1])[::-1]
    assert len(forward) == 500 and all(forward)
    assert forward == backward
    # The same sentence after other text: the tagger's state must not leak into it.
    later = corpus_lines(1000)[500:]
    assert engine.translate("en", "es", later + lines[:50])[-50:] == forward[:50]


def test_two_jobs_equal_one(engine: ApertiumEngine) -> None:
    lines = corpus_lines(200)
    with ApertiumEngine(jobs=2) as two:
        assert two.translate("en", "es", lines) == engine.translate("en", "es", lines)


# --- faults ---------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["HANG here", "DIE here"], ids=["hang", "death"])
def test_failing_segment_is_none_and_the_rest_goes_on(fake_modes: Path, bad: str) -> None:
    with ApertiumEngine(timeout=1.0, modes_dir=fake_modes) as eng:
        out = eng.translate("en", "es", ["first one", bad, "third one", "fourth one"])
        assert out == ["first one", None, "third one", "fourth one"]
        assert len(eng.failures) == 1 and eng.failures[0].startswith(repr(bad))


def test_segment_is_retried_once_after_a_restart(fake_modes: Path) -> None:
    with ApertiumEngine(timeout=1.0, modes_dir=fake_modes) as eng:
        assert eng.translate("en", "es", ["a", "FLAKY b", "c"]) == ["a", "FLAKY b", "c"]


def test_close_leaves_no_processes(fake_modes: Path) -> None:
    before = children()
    eng = ApertiumEngine(timeout=1.0, modes_dir=fake_modes, jobs=2)
    assert eng.translate("en", "es", ["one", "HANG", "two"]) == ["one", None, "two"]
    # Pipelines stay up between calls (the one that hung twice was discarded).
    assert children() - before
    eng.close()
    assert children() == before


def test_a_stream_gives_each_translation_before_the_batch_is_done(fake_modes: Path) -> None:
    """The first translation comes while a later segment still hangs: no waiting for
    the batch (its hang would end only with the 60 s timeout, and a failure)."""
    with ApertiumEngine(timeout=60.0, modes_dir=fake_modes) as eng:
        stream = eng.stream("en", "es", ["first one", "HANG here", "third one"])
        assert next(stream) == "first one"
        assert eng.failures == []
        stream.close()  # left midway: the hung pipeline goes, a fresh one serves the next
        assert eng.translate("en", "es", ["fourth one"]) == ["fourth one"]


def test_a_stream_left_midway_leaves_nothing_behind(engine: ApertiumEngine) -> None:
    lines = corpus_lines(40)
    whole = engine.translate("en", "es", lines)
    stream = engine.stream("en", "es", lines)
    assert [next(stream) for _ in range(5)] == whole[:5]
    stream.close()  # its other records are still in the pipes: none may answer below
    assert engine.translate("en", "es", lines[20:]) == whole[20:]
    assert list(engine.stream("en", "es", lines[:10])) == whole[:10]


def test_closing_a_busy_pipeline_ends_its_threads() -> None:
    """Closed mid-work, every thread of the pipeline ends: none is left waiting on a
    pipe closed under it (epoll would keep it waiting for ever)."""
    pipe = Pipeline(load_stages(DEFAULT_MODES_DIR / "eng-spa.mode"))
    pipe.send([encode_record(line, seq) for seq, line in enumerate(corpus_lines(300))])
    assert pipe.receive(timeout=60) is not None
    pipe.close()
    assert not [thread for thread in pipe.threads if thread.is_alive()]


# Words whose ambiguity class the eng-spa tagger model lacks: each changes a
# tagger's state (see the module docstring), "I" in about one sentence in ten.
MISSING_CLASS_WORDS = (" I ", " known ", " a lot of ", " near ", " elected ", " included ")


def test_each_sentence_is_tagged_as_if_alone(engine: ApertiumEngine) -> None:
    """Sentences with words of missing classes and unknown words, mixed with plain ones:
    translated in one batch, each comes out as a fresh engine gives it alone."""
    lines = corpus_lines(3000)
    changing = [line for line in lines if any(w in f" {line} " for w in MISSING_CLASS_WORDS)]
    plain = [line for line in lines if line not in changing]
    batch = [line for pair in zip(changing[:24], plain[:24], strict=True) for line in pair]
    batch += changing[24:36]  # several in a row
    together = engine.translate("en", "es", batch)
    for line, translation in zip(batch, together, strict=True):
        with ApertiumEngine() as alone:
            assert alone.translate("en", "es", [line]) == [translation], line


def test_a_class_learnt_in_the_same_window_still_retires_the_tagger_it_changed() -> None:
    """ "till" is of a class the model lacks. In one window the pristine tagger meets it
    first, then the tagger of the class of "I" meets it too, routed before its class was
    learnt: that tagger changed, and the sentence after must not be tagged by it (with
    two jobs, which window a sentence fell in decided whether it was)."""
    stages = load_stages(DEFAULT_MODES_DIR / "eng-spa.mode")
    window = [
        "I was there.",  # teaches the class of "I"
        "I was here.",  # makes the tagger of that class
        "We worked till noon.",  # teaches the class of "till", on the pristine tagger
        "I waited till dawn.",  # on the tagger of "I", which "till" changes
        "Later, at a local pub, I cravenly attempted to dissimulate.",  # unknown words
    ]
    with tempfile.TemporaryFile() as stderr:
        group = Group(stderr)
        analysed = [_front(stages, line) for line in window]
        taggers = Taggers(stages.tagger, group)
        try:
            tagged = [*(taggers.tag(analysed[:1]) or []), *(taggers.tag(analysed[1:2]) or [])]
            assert len(tagged) == 2 and len(taggers.of_class) == 1
            rest = analysed[2:]
            while rest:
                done = taggers.tag(rest)
                assert done is not None
                tagged += done
                rest = rest[len(done) :]
        finally:
            taggers.close()
            group.kill()
            group.close()
    for record, output in zip(analysed, tagged, strict=True):
        assert output == _tagged_alone(stages, record), record


def test_a_tagger_used_in_a_window_is_not_dropped_before_its_turn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The pristine tagger became the tagger of a class in a window in which a tagger of
    another class, the least recently used, was used too: the room made for the new one
    dropped it before its turn came, a KeyError in the relay (es->fr over newstest2013
    stalled a minute on it, until the engine's timeout restarted the pipeline)."""
    monkeypatch.setattr(tagger_module, "_CLASS_TAGGERS", 1)
    stages = load_stages(DEFAULT_MODES_DIR / "eng-spa.mode")
    windows = [
        ["I was there."],  # teaches the class of "I"
        ["I was here."],  # makes the tagger of that class
        ["We worked till noon."],  # teaches the class of "till"
        # the pristine tagger, then that of "I", then the pristine one becomes that of "till"
        ["He was there.", "I was here again.", "We stayed till dawn."],
    ]
    with tempfile.TemporaryFile() as stderr:
        group = Group(stderr)
        taggers = Taggers(stages.tagger, group)
        try:
            for window in windows:
                analysed = [_front(stages, line) for line in window]
                tagged = taggers.tag(analysed)
                assert tagged == [_tagged_alone(stages, record) for record in analysed]
            assert list(taggers.of_class) == [b"{NOMSG,PREP,INF,PRES}"]  # that of "till"
        finally:
            taggers.close()
            group.kill()
            group.close()


def _front(stages: Stages, line: str) -> bytes:
    data = line.encode() + b"\0"
    for command in stages.front:
        data = subprocess.run(command, input=data, capture_output=True, check=True).stdout
    return data.rstrip(b"\0")


def _tagged_alone(stages: Stages, record: bytes) -> bytes:
    assert stages.tagger is not None
    done = subprocess.run(stages.tagger, input=record + b"\0", capture_output=True, check=True)
    return done.stdout.rstrip(b"\0")


def test_state_change_is_placed_no_later_than_its_record() -> None:
    window = [b"^He/he<prn>$", b"^I/I<num>/prpers<prn>$", b"^I/I<num>/prpers<prn>$"]
    assert first_holding(window, [b"^I/"]) == 1
    assert first_holding(window, [b"^missing/", b"^I/"]) == 1
    # A word we cannot find (written differently in the stream): the window's first record.
    assert first_holding(window, [b"^odd$/"]) == 0
