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
    "phrase",
    [
        "Merkel sagte: \u201eWir schaffen das\u201c \u201enicht\u201c, "
        "\u201aja\u2018 \u00bbso\u00ab",
        "Il a dit\u202f: \u00ab\u00a0Non\u00a0!\u00a0\u00bb "
        "\u2039\u00a0oui\u00a0\u203a\u202f; (\u2039gut\u203a)",
        "\u201bHe\u2019s\u201d \u201fright\u201d don\u00b4t "
        "\u2018it\u2019 \u201cnow\u201d 'so' \"Sto\"",
        "2010\u20132012 Paris \u2013 Berlin \u2014S\u00ed\u2014 "
        "e\u2011mail 555\u20121234 \u2013\u00a0a",
        "Und dann\u2026 \u00bfQu\u00e9?\u2026 \u00a1No! Wirklich\u203d Ja\u203c \u2026 x\u2024y",
        "\u22123\u00a0\u00b0C, 12\u2030, 5\u2032 3\u2033, 20\u2103, "
        "\u00b12, \u2116\u00a05, km\u00b2 m\u00b3",
        "\u20bd10, 10\u00a0\u20bd, \u00a55, 30\u00a2, \u20ac5, \u00a33, \u20b9 9, \u20ba4 1\u20442",
        "em\u2003space, en\u2002space, thin\u2009and hair\u200aspaces, \u205fhere",
    ],
    ids=["german-quotes", "french-guillemets", "apostrophes", "dashes", "ellipses",
         "units", "currencies", "spaces"],
)  # fmt: skip
def test_european_punctuation_breaks_where_msgcat_breaks_it(phrase: str, tmp_path: Path) -> None:
    """Each phrase at every column around a line's end, so that each place a line may
    break in it, or not, is tried: low quotes open a quote, single guillemets are quotes,
    a no-break space holds, a dash does not, per mille and rouble signs hold to their
    number."""
    lines: list[str] = []
    for shift in range(1, 79):
        text = "x" * shift + " " + phrase
        lines += ["", f'msgctxt "{shift}"', *string_lines("msgid", text), 'msgstr ""']
    path = tmp_path / "punctuation.po"
    ours = HEADER + "\n".join(lines) + "\n"
    path.write_text(ours, "utf-8")
    assert msgcat(path) == ours


# Punctuation, spaces and signs of European news text, with a letter, a digit, a space.
EUROPEAN_PUNCTUATION = (
    " a1-.,:;!?()[]/%$'\"\u00ab\u00bb\u2039\u203a\u201e\u201c\u201d\u201a\u2018\u2019\u201b\u201f"
    "\u2013\u2014\u2010\u2011\u2012\u2026\u203d\u203c\u00a0\u202f\u2009\u2003\u2007\u00ad\u200b"
    "\u00b4\u00b0\u2030\u2032\u2033\u2212\u00b1\u2116\u20ac\u00a3\u20bd\u00a2\u00a5\u00b2\u00b9"
    "\u2044\u2103\u00a1\u00bf\u00b7\u2022&*+=#@_~"
)


def test_every_pair_of_european_punctuation_breaks_where_msgcat_breaks_it(
    tmp_path: Path,
) -> None:
    """Each pair of characters at a line's end, a column apart three times, so that msgcat
    says whether a line may break before the pair, inside it, and after it."""
    lines: list[str] = []
    for first in EUROPEAN_PUNCTUATION:
        for second in EUROPEAN_PUNCTUATION:
            for shift in (73, 74, 75):
                text = "x" * shift + " a" + first + second + "1"
                lines += ["", *string_lines("msgid", text), 'msgstr ""']
    path = tmp_path / "pairs.po"
    ours = HEADER + "\n".join(lines) + "\n"
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
        # A low quote opens a quote, as ( does: no break after it, nor between a closing
        # quote and it.
        (
            "Merkel sagte gestern vor den Journalisten in Berlin: "
            "\u201eWir schaffen das\u201c \u201enicht",
            [
                'msgid ""',
                '"Merkel sagte gestern vor den Journalisten in Berlin: \u201eWir schaffen "',
                '"das\u201c \u201enicht"',
            ],
        ),
    ],
    ids=["short", "empty", "line-breaks", "other-line-ends", "hyphen", "quotes",
         "low-quote-opens"],
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
