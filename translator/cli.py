"""The command line: click declarations only, a thin layer over the library."""

from __future__ import annotations

import click

from translator import __version__


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

# --- detect ---

# --- engines ---

# --- models (Argos packages) ---

# --- check (glossary terms) ---

# --- po (gettext catalogs) ---
