"""Catalog lines as GNU gettext writes them: msgcat, run on what we write, changes nothing."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.conftest import DATA
from translator import catalog
from translator.catalog import Catalog, Entry
from translator.catalog.wrap import string_lines

CORPUS = DATA / "newstest2013"
HEADER = 'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n'


def msgcat(path: Path) -> str:
    done = subprocess.run(
        ["msgcat", str(path)],
        capture_output=True,
        text=True,
        check=True,
        env={"LC_ALL": "C.UTF-8"},  # as a translator's UTF-8 terminal
    )
    return done.stdout


@pytest.mark.parametrize("language", ["en", "es", "fr", "de", "ru"])
def test_news_sentences_break_where_msgcat_breaks_them(tmp_path: Path, language: str) -> None:
    """Three thousand real sentences per language: quotes, numbers, hyphens, dashes,
    Cyrillic, zero width spaces."""
    sentences = (CORPUS / f"{language}.txt").read_text("utf-8").splitlines()
    # Every seventh as an obsolete entry ("#~ " lines, narrower), which msgcat puts last.
    active = [n for n in range(len(sentences)) if n % 7]
    obsolete = [n for n in range(len(sentences)) if not n % 7]
    entries = [
        "\n".join(
            line
            for keyword, value in (
                ("msgctxt", str(n)),
                ("msgid", sentences[n]),
                ("msgstr", sentences[n]),
            )
            for line in string_lines(keyword, value, "#~ " if n in obsolete else "")
        )
        for n in [*active, *obsolete]
    ]
    path = tmp_path / "sentences.po"
    ours = HEADER + "".join(f"\n{entry}\n" for entry in entries)
    path.write_text(ours, "utf-8")
    assert msgcat(path) == ours


FILLER = "word " * 13


@pytest.mark.parametrize(
    "text",
    [
        FILLER + "give us a \u2764\ufe0f Like on the page today",
        FILLER + "our reporters \U0001f44d\U0001f3fd and editors",
        FILLER + "a family \U0001f468\u200d\U0001f469\u200d\U0001f467 and flags "
        "\U0001f1ea\U0001f1f8\U0001f1eb\U0001f1f7 here",
        "Home|News|Sport|Business|Culture|Science|Health|Travel|Opinion|Video|Audio|More",
        "您的收件箱每天都会收到我们精选的新闻。我们的记者在世界各地报道最重要的事件\uff0c"
        "为您带来第一手资料。「重要」なニュースをお届けします。ちょっとまってください。",
        FILLER + "call {name}today and (see [this](link)) now.",
        FILLER + "thin\u2009space and soft\u00adhyphen words here",
    ],
    ids=["emoji-variation", "skin-tone", "joiner-and-flags", "bars", "chinese-japanese",
         "brackets", "thin-space-soft-hyphen"],
)  # fmt: skip
def test_other_scripts_and_symbols_break_where_msgcat_breaks_them(
    text: str, tmp_path: Path
) -> None:
    path = tmp_path / "one.po"
    ours = HEADER + "\n" + "\n".join([*string_lines("msgid", text), 'msgstr ""']) + "\n"
    path.write_text(ours, "utf-8")
    assert msgcat(path) == ours


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ("Share", ['msgid "Share"']),
        ("", ['msgid ""']),
        ("Two\nlines\n", ['msgid ""', '"Two\\n"', '"lines\\n"']),
        ("A\rB\u2028C", ['msgid "A\\rB\u2028C"']),  # only "\n" ends a line
        # After a hyphen a line may break: "re-" fits, "election" does not.
        ("word " * 14 + "re-election", ['msgid ""', '"' + "word " * 14 + 're-"', '"election"']),
        # A line may break before an escaped quote after a space, never inside "\\"".
        (
            'He said "stop" ' * 6,
            [
                'msgid ""',
                '"' + 'He said \\"stop\\" ' * 4 + 'He said "',
                '"\\"stop\\" He said \\"stop\\" "',
            ],
        ),
    ],
    ids=["short", "empty", "line-breaks", "other-line-ends", "hyphen", "quotes"],
)  # fmt: skip
def test_string_lines(text: str, lines: list[str], tmp_path: Path) -> None:
    assert string_lines("msgid", text) == lines
    path = tmp_path / "one.po"
    ours = HEADER + "\n" + "\n".join(['msgctxt "case"', *lines, 'msgstr ""']) + "\n"
    path.write_text(ours, "utf-8")
    assert msgcat(path) == ours


def test_msgcat_rewrites_nothing_of_a_catalog_we_write(tmp_path: Path) -> None:
    """Every part of an entry: notes, references that wrap, flags, previous strings,
    plural forms, obsolete entries, a long Plural-Forms header."""
    long_text = " ".join((CORPUS / "en.txt").read_text("utf-8").splitlines()[:3])
    references = (
        *((f"news/2025/04/article-number-{n:04d}.html", n) for n in range(1, 10)),
        *((f"política/niño_año_económico_{n}.txt", n) for n in range(4)),  # bytes, and a 0
    )
    written = Catalog(
        "news",
        "ar",
        (
            ("Project-Id-Version", "translate-news 0.1.0"),
            ("Language", "ar"),
            ("Content-Type", "text/plain; charset=UTF-8"),
            ("Plural-Forms", catalog.plural_forms("ar")),
        ),
        (
            Entry("Share", msgstr="شارك", references=(("a.txt", 3),), roles=("button",)),
            Entry(
                long_text,
                msgctxt="teaser",
                msgstr=long_text.upper(),
                flags=("fuzzy",),
                references=references,
                site_notes=("TRANSLATORS: keep it short",),
                comments=("A translator's note.", "", "machine translation: apertium"),
                previous_msgid="An older " + long_text,
            ),
            Entry(long_text.upper(), msgstr=long_text, flags=("no-wrap",)),
            Entry(
                "%(count)d comment",
                msgid_plural="%(count)d comments",
                msgstr_plural=("0", "1", "2", "3", "4", "5"),
                flags=("python-format",),
            ),
        ),
        obsolete=(
            Entry("Read more", msgstr="اقرأ المزيد", comments=("kept",)),
            Entry("Old " + long_text, msgstr="x", flags=("fuzzy",), previous_msgid=long_text),
            Entry(
                "A site's old string",
                msgstr="x",
                site_notes=("obsolete note",),
                references=(("src/old.c", 3),),
            ),
        ),
        header_comment="Arabic translations of the UI strings.\n\nMore notes.",
    )
    path = tmp_path / "ar.po"
    catalog.write_catalog(path, written)
    ours = path.read_text("utf-8")
    assert msgcat(path) == ours
    assert catalog.read_catalog(path).entries == written.entries
