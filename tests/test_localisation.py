"""UI strings through whole runs, as a translator works with them: review, rerun, keep."""

from __future__ import annotations

import subprocess
from pathlib import Path

import polib
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from click.testing import CliRunner

from translator.cli import main


def run(runner: CliRunner, source: Path, out: Path, *extra: str) -> None:
    result = runner.invoke(main, [str(source), str(out), "--to", "es", "-q", *extra])
    assert result.exit_code == 0, result.output


def msgfmt_check(path: Path) -> None:
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], check=True)


def read_back(path: Path) -> polib.POFile:
    """Through polib and Babel, both strict; and msgfmt --check."""
    msgfmt_check(path)
    with path.open("rb") as handle:
        read_po(handle, abort_invalid=True)
    return polib.pofile(str(path))


def test_a_reviewed_translation_survives_reruns_and_is_used(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    run(runner, seed_dir, out)
    po_path = out / "locale" / "es" / "LC_MESSAGES" / "news.po"
    catalog = read_back(po_path)
    share = catalog.find("Share")
    assert share is not None and "fuzzy" in share.flags and share.msgstr
    share.msgstr, share.flags = "Compartir", []
    catalog.save()
    run(runner, seed_dir, out)
    catalog = read_back(po_path)
    share = catalog.find("Share")
    assert share is not None and share.msgstr == "Compartir" and "fuzzy" not in share.flags
    article = (out / "es" / "seed.txt").read_text("utf-8").splitlines()
    assert article[4:6] == ["Compartir", "Compartir"]
    page = (out / "bilingual" / "es" / "seed.txt.html").read_text("utf-8")
    assert "Compartir" in page
    read_back(out / "locale" / "news.pot")


def test_new_and_removed_ui_strings(runner: CliRunner, seed_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    run(runner, seed_dir, out)
    po_path = out / "locale" / "es" / "LC_MESSAGES" / "news.po"
    before = {e.msgid: (e.msgstr, e.flags) for e in read_back(po_path)}

    seed = (seed_dir / "seed.txt").read_text("utf-8")
    (seed_dir / "seed.txt").write_text(seed.replace("Share\nRelated Articles", "Share\nRead more"))
    run(runner, seed_dir, out)
    catalog = read_back(po_path)
    added = catalog.find("Read more")
    assert added is not None and "fuzzy" in added.flags and added.msgstr
    gone = [e for e in catalog.obsolete_entries() if e.msgid == "Related Articles"]
    assert gone and gone[0].msgstr == before["Related Articles"][0]
    after = {e.msgid: (e.msgstr, e.flags) for e in catalog if not e.obsolete}
    assert {k: v for k, v in after.items() if k != "Read more"} == {
        k: v for k, v in before.items() if k != "Related Articles"
    }


def test_catalog_option_updates_a_locale_tree_in_place_and_mo_files(
    runner: CliRunner, seed_dir: Path, tmp_path: Path
) -> None:
    locale = tmp_path / "site" / "locale"
    run(runner, seed_dir, tmp_path / "out", "--catalog", str(locale), "--mo")
    assert not (tmp_path / "out" / "locale").exists()
    po_path = locale / "es" / "LC_MESSAGES" / "news.po"
    catalog = read_back(po_path)
    entry = catalog.find("World")
    assert entry is not None
    entry.msgstr, entry.flags = "Mundo", []
    catalog.save()
    result = runner.invoke(main, ["po", "compile", "--catalog", str(locale)])
    assert result.exit_code == 0, result.output
    with (locale / "es" / "LC_MESSAGES" / "news.mo").open("rb") as handle:
        compiled = read_mo(handle)
    # Only reviewed entries go into the .mo, as msgfmt does with fuzzy ones.
    assert [(m.id, m.string) for m in compiled if m.id] == [("World", "Mundo")]
