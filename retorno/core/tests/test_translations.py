"""Every message a user sees exists in Spanish, English and French."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LANGUAGES = ("es", "en", "fr")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated(language: str) -> None:
    po = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], f"{len(missing)} messages lack a {language} translation: {missing[:10]}"


def test_po_files_contain_every_message_of_the_code(tmp_path: Path) -> None:
    """Extract the messages again from a copy of the sources: nothing new may be missing from the .po files."""
    for name in ("retorno", "config", "locale"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    env = {**os.environ, "RETORNO_ALLOW_INSECURE_KEY": "1", "DATABASE_URL": ""}
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "es", "--no-obsolete", "-v0"],
        cwd=tmp_path,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = {e.msgid for e in polib.pofile(str(tmp_path / "locale" / "es" / "LC_MESSAGES" / "django.po"))}
    committed = {e.msgid for e in polib.pofile(str(ROOT / "locale" / "es" / "LC_MESSAGES" / "django.po")) if not e.obsolete}
    new = sorted(fresh - committed)
    assert new == [], f"Run `make makemessages` and translate: {new[:10]}"


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_plural_has_all_the_forms_of_its_language(language: str) -> None:
    """Spanish has three plural forms in Django's catalogs (one, millions, other): a message with two
    would show in English for 2, 3, 4… items."""
    po = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    forms = int(po.metadata["Plural-Forms"].split("nplurals=")[1].split(";")[0])
    short = [e.msgid for e in po if e.msgid_plural and sorted(k for k, v in e.msgstr_plural.items() if v) != list(range(forms))]
    assert short == [], f"{len(short)} plural messages lack a form in {language}: {short[:5]}"


def test_spanish_plurals_are_shown_in_spanish() -> None:
    from django.utils import translation

    with translation.override("es"):
        assert translation.ngettext("%(n)s record listed", "%(n)s records listed", 4) == "%(n)s registros listados"
