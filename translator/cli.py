"""The command line: click declarations only, a thin layer over the library."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click

from translator import __version__
from translator.collect import detection_candidates
from translator.detect import detect_document
from translator.documents import ReadOptions, read_document
from translator.engines.registry import ENGINE_NAMES, EngineOptions, Engines
from translator.glossary import GlossaryError, load_glossaries
from translator.languages import LANGUAGE_CODE, normalise_language
from translator.model import InputError, TranslatorError
from translator.pipeline import RunOptions, run
from translator.report import errors as report_errors


class DefaultCommandGroup(click.Group):
    """`translate-news IN OUT --to es` runs the `translate` command; other words are commands."""

    default_command = "translate"

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h", "--version"):
            args = [self.default_command, *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultCommandGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="translate-news")
def main() -> None:
    """Translate a folder of news articles offline.

    \b
    Example:
        translate-news in/ out/ --to es
    """


# --- translate (the batch run) ---


def glossary_option(required: bool) -> Callable[[Callable[..., None]], Callable[..., None]]:
    return click.option(
        "--glossary",
        "glossaries",
        multiple=True,
        required=required,
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Protected terms (YAML, TBX or CSV). Repeatable.",
    )


def _languages(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    codes = tuple(
        dict.fromkeys(normalise_language(code) for code in value.split(",") if code.strip())
    )
    if not codes or not all(LANGUAGE_CODE.match(code) for code in codes):
        raise click.BadParameter(f"expected language codes like 'es' or 'es,fr', got {value!r}")
    return codes


def _language(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    code = normalise_language(value)
    if not LANGUAGE_CODE.match(code):
        raise click.BadParameter(f"expected a language code like 'en' or 'pt-BR', got {value!r}")
    return code


def _domain(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """A gettext domain names files (news.pot, news.po): one plain file name."""
    if not re.fullmatch(r"\w[\w.-]*", value):
        raise click.BadParameter(f"expected a file name like 'news', got {value!r}")
    return value


def _read_ui_strings(path: Path | None) -> frozenset[str]:
    if path is None:
        return frozenset()
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise click.BadParameter(f"{path}: {error}", param_hint="--ui-strings") from error
    stripped = (line.strip() for line in lines)
    return frozenset(line for line in stripped if line and not line.startswith("#"))


@main.command()
@click.argument("input_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("output_dir", type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--to",
    "targets",
    required=True,
    callback=_languages,
    help="Target language(s), comma-separated: es or es,fr.",
)
@click.option(
    "--from",
    "source",
    default=None,
    callback=_language,
    help="Source language of every article (skips detection).",
)
@click.option(
    "--engine",
    type=click.Choice(ENGINE_NAMES),
    default="auto",
    show_default=True,
    help="auto: an Argos package when one serves the pair, else Apertium.",
)
@glossary_option(required=False)
@click.option(
    "--ui-strings",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A file listing the site's UI strings, one per line.",
)
@click.option(
    "--fields",
    default="title,subtitle,body,summary",
    show_default=True,
    help="JSON fields to translate.",
)
@click.option(
    "--cache",
    "cache_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Translation cache file [default: OUT/.translate-news/cache.sqlite].",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Translate everything afresh and rewrite every article: no translation cache.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(1, 64),
    default=1,
    show_default=True,
    help="Processes for reading and writing; Apertium pipelines per pair.",
)
@click.option(
    "--domain", default="news", show_default=True, callback=_domain, help="gettext domain."
)
@click.option(
    "--compendium",
    "compendia",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="UI strings translated before (a .po file whose Language header says into "
    "what), taken before machine translation. Repeatable.",
)
@click.option(
    "--catalog",
    "catalog_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Update this locale tree in place instead of OUT/locale.",
)
@click.option("--mo", "compile_mo", is_flag=True, help="Also compile .mo files.")
@click.option(
    "--beam-size",
    type=click.IntRange(1, 16),
    default=2,
    show_default=True,
    help="Argos: beam width.",
)
@click.option(
    "--threads",
    type=click.IntRange(0, 256),
    default=0,
    help="Argos: CTranslate2 threads per translation (0: all cores).",
)
@click.option(
    "--device",
    type=click.Choice(["cpu", "cuda"]),
    default="cpu",
    show_default=True,
    help="Argos: where CTranslate2 runs.",
)
@click.option(
    "--quiet", "-q", is_flag=True, help="No progress bars (shown only on a terminal anyway)."
)
@click.option("--debug", is_flag=True, help="Show tracebacks.")
def translate(
    input_dir: Path,
    output_dir: Path,
    targets: tuple[str, ...],
    source: str | None,
    engine: str,
    glossaries: tuple[Path, ...],
    ui_strings: Path | None,
    fields: str,
    cache_path: Path | None,
    no_cache: bool,
    jobs: int,
    domain: str,
    compendia: tuple[Path, ...],
    catalog_dir: Path | None,
    compile_mo: bool,
    beam_size: int,
    threads: int,
    device: str,
    quiet: bool,
    debug: bool,
) -> None:
    """Translate every article in INPUT_DIR into OUTPUT_DIR.

    Writes OUT/<lang>/ (translated articles, same formats and paths),
    OUT/bilingual/<lang>/ (side-by-side pages), OUT/locale/ (gettext catalogs
    of the UI strings), OUT/index.html and OUT/report.json. Exits 1 when any
    article failed (the others are still written), 2 on usage errors.

    \b
    Example:
        translate-news in/ out/ --to es,fr --glossary glossaries/news.yml
    """
    if cache_path and no_cache:
        raise click.UsageError("--cache and --no-cache exclude each other")
    options = RunOptions(
        input_dir=input_dir,
        output_dir=output_dir,
        targets=targets,
        source_language=source,
        engine=engine,
        engine_options=EngineOptions(beam_size=beam_size, intra_threads=threads, device=device),
        glossaries=glossaries,
        read_options=ReadOptions(
            json_fields=tuple(f.strip() for f in fields.split(",") if f.strip()),
            ui_strings=_read_ui_strings(ui_strings),
        ),
        cache_path=cache_path,
        use_cache=not no_cache,
        jobs=jobs,
        domain=domain,
        compendia=compendia,
        catalog_dir=catalog_dir,
        compile_mo=compile_mo,
    )
    if problem := options.folders_problem():
        raise click.UsageError(problem)
    with _user_errors(debug), _interruptible():
        # Bars only for a person at a terminal; a log (CI, cron) gets the summary line.
        show_progress = not quiet and sys.stderr.isatty()
        result = run(options, progress=ProgressBar() if show_progress else None)
    for line in [*report_errors(result.report), *result.problems]:
        click.echo(line, err=True)
    for line in [
        *result.report["unserved"].values(),
        *result.report["catalog_markup"],
        *result.report["catalog_terms"],
    ]:
        click.echo(line, err=True)  # once a pair, or an entry: not once an article
    if stale := result.report["stale"]:
        click.echo(
            f"{len(stale)} article(s) of earlier runs are no longer in the input; their "
            f'outputs stay in {output_dir} (report.json lists them under "stale")',
            err=True,
        )
    totals = result.report["totals"]
    click.echo(
        f"{totals['articles']} articles, {totals['failed']} failed, {totals['skipped']} skipped; "
        f"report: {output_dir / 'report.json'}",
        err=True,
    )
    if result.failed:
        sys.exit(1)


class ProgressBar:
    """One click progress bar per stage, on stderr."""

    def __init__(self) -> None:
        self._stage: str | None = None
        self._bar: Any = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self.close()
            self._stage = stage
            self._bar = click.progressbar(length=total, label=stage, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._bar.pos)
        if done >= total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
        self._bar, self._stage = None, None


@contextmanager
def _interruptible() -> Iterator[None]:
    """Ctrl-C: say what is kept and how to go on, and exit 130 as shells expect of an
    interrupted command (click says "Aborted!" and exits 1, as for a failed article)."""
    try:
        yield
    except KeyboardInterrupt:
        click.echo(
            "\ninterrupted: every article written so far is kept, and no file is half "
            "written; run the same command again to complete the batch",
            err=True,
        )
        sys.exit(130)


@contextmanager
def _user_errors(debug: bool) -> Iterator[None]:
    """Our exceptions become one clear line and exit 1; tracebacks only with --debug."""
    try:
        yield
    except TranslatorError as error:
        if debug:
            raise
        raise click.ClickException(str(error)) from error
    except OSError as error:
        if debug:
            raise
        where = f"{error.filename}: " if error.filename else ""
        raise click.ClickException(f"{where}{error.strerror or error}") from error


# --- detect ---


@main.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
def detect(files: tuple[Path, ...]) -> None:
    """Print the language of each article, one JSON line per file.

    \b
    Example:
        translate-news detect samples/seed.txt
    """
    failed = False
    with Engines("auto") as engines:  # a run also tells apart what its engines translate
        candidates = detection_candidates(engines)
    for path in files:
        try:
            # The path as given, so that an error names the file the user typed.
            document = read_document(Path(), path, ReadOptions())
        except InputError as error:
            click.echo(str(error), err=True)
            failed = True
            continue
        found = detect_document(document, candidates)  # as a run does, declared language too
        line = {
            "path": str(path),
            "language": found.language,
            "confidence": round(found.confidence, 4),
            "detected_by": found.method,
        }
        click.echo(json.dumps(line, ensure_ascii=False))
    if failed:
        sys.exit(1)


# --- engines ---


@main.command()
def engines() -> None:
    """List the installed engines and the language pairs they translate.

    \b
    Example:
        translate-news engines
    """
    with Engines("auto") as available:
        for name, pairs in available.available_pairs().items():
            listed = " ".join(f"{s}->{t}" for s, t in sorted(pairs)) or "(no pairs installed)"
            click.echo(f"{name}: {listed}")


# --- models (Argos packages) ---


@main.group()
def models() -> None:
    """Install, list and remove Argos Translate packages (.argosmodel).

    Packages live where argostranslate keeps them (ARGOS_PACKAGES_DIR, else
    ~/.local/share/argos-translate/packages).

    \b
    Example:
        translate-news models install translate-en_es-1_9.argosmodel
    """


@models.command("install")
@click.argument("package", nargs=-1, required=True)
def models_install(package: tuple[str, ...]) -> None:
    """Install a package from a file (FILE), or from the Argos index (SRC TGT, online only).

    \b
    Example:
        translate-news models install translate-en_es-1_9.argosmodel
        translate-news models install en es
    """
    from translator import packages

    if len(package) > 2:
        raise click.UsageError("give a package FILE, or SRC TGT language codes")
    with _user_errors(debug=False):
        if len(package) == 1:
            info = packages.install_package(Path(package[0]))
        else:
            info = packages.install_from_index(package[0], package[1])
    click.echo(f"installed {info.source}->{info.target} {info.version} in {info.path}")


@models.command("list")
def models_list() -> None:
    """List installed packages: pair, version, folder.

    \b
    Example:
        translate-news models list
    """
    from translator import packages

    installed = packages.list_packages()
    if not installed:
        click.echo(f"no Argos packages installed in {packages.packages_dir()}", err=True)
    for info in installed:
        click.echo(f"{info.source}->{info.target}\t{info.version}\t{info.path}")


@models.command("remove")
@click.argument("source")
@click.argument("target")
def models_remove(source: str, target: str) -> None:
    """Remove the installed package(s) for a language pair.

    \b
    Example:
        translate-news models remove en es
    """
    from translator import packages

    with _user_errors(debug=False):
        removed = packages.remove_package(source, target)
    for info in removed:
        click.echo(f"removed {info.source}->{info.target} {info.version} ({info.path})")


# --- check (glossary terms) ---


# `check --format`: translator.check.FORMATTERS, named here so that no other command
# imports the checker (tests/test_check.py keeps the two the same).
CHECK_FORMATS = ("json", "junit", "text")


@main.command()
@click.argument("output_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@glossary_option(required=True)
@click.option(
    "--catalog",
    "catalog_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Locale tree to check [default: the run's, from report.json].",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(CHECK_FORMATS),
    default="text",
    show_default=True,
    help="junit: JUnit XML for CI systems.",
)
def check(
    output_dir: Path, glossaries: tuple[Path, ...], catalog_dir: Path | None, output_format: str
) -> None:
    """Fail when a protected term did not survive into a run's output.

    Re-reads the translated articles and the .po catalogs (also after
    translators edited them) against their sources, and reports every lost
    term, and every file it could not check (`path: problem`). Exits 0 when
    all survived, 1 on any issue, 2 when OUTPUT_DIR is no run's output.
    Writes nothing.

    \b
    Example:
        translate-news check out/ --glossary glossaries/news.yml --format junit
    """
    # Imported here: the other commands, a batch run's start-up first, do without it.
    from translator.check import FORMATTERS, CheckError, CheckResult, Issue, check_output

    try:
        glossary = load_glossaries(list(glossaries))
        result = check_output(output_dir, glossary, catalog_dir)
    except CheckError as error:  # not a run's output folder: the command was misused
        raise click.UsageError(str(error)) from error
    except GlossaryError as error:
        # In the format asked for too: CI reads a broken glossary as an error of its own.
        where = f"line {error.line}" if error.line else ""
        result = CheckResult([Issue(error.path, error.problem, where)], 0, 0)
    click.echo(FORMATTERS[output_format](result), nl=False)
    if result.issues:
        sys.exit(1)


# --- po (gettext catalogs) ---


@main.group()
def po() -> None:
    """Work with the gettext catalogs of UI strings (.pot, .po, .mo).

    \b
    Example:
        translate-news po compile --catalog out/locale
    """


@po.command("compile")
@click.option(
    "--catalog",
    "catalog_dir",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=Path("locale"),
    show_default=True,
    help="Catalog tree holding <lang>/LC_MESSAGES/<domain>.po, e.g. OUT/locale.",
)
@click.option(
    "--domain",
    default="news",
    show_default=True,
    callback=_domain,
    help="Gettext domain (file name).",
)
def po_compile(catalog_dir: Path, domain: str) -> None:
    """Write a .mo beside every .po of the tree, leaving fuzzy entries out as msgfmt does.

    Prints each .mo written; a catalog that cannot be read is reported and the
    others are still compiled (exit 1).

    \b
    Example:
        translate-news po compile --catalog out/locale --domain news
    """
    from translator.catalog import compile_catalogs

    compiled = compile_catalogs(catalog_dir, domain)
    for mo_path in compiled.written:
        click.echo(str(mo_path))
    for error in compiled.errors:
        click.echo(str(error), err=True)
    if compiled.errors:
        raise click.ClickException(f"{len(compiled.errors)} catalog(s) could not be compiled")
    if not compiled.written:
        raise click.ClickException(
            f"no {domain}.po files under {catalog_dir}/<lang>/LC_MESSAGES: "
            "run a translation first, or pass --catalog and --domain"
        )


if __name__ == "__main__":
    main()
