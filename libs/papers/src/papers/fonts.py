"""The typeface the papers are set in: DejaVu Serif, from Debian's fonts-dejavu-core (regular,
bold) and fonts-dejavu-extra (italic), which `make install` and the services' image install.

Its cmap is checked for every Vietnamese letter before a paper is set, so that a font without
them (Liberation 1.x, say) fails loudly instead of printing empty boxes.
"""

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

FONT_DIR_VARIABLE = "PARTYORG_FONT_DIR"
DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FAMILY = "DejaVuSerif"
FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"}

VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)


class MissingFont(RuntimeError):
    """The papers' font is not installed, or cannot set Vietnamese."""


@dataclass(frozen=True)
class Typeface:
    family: str
    files: dict[str, Path]


def font_dir() -> Path:
    return Path(os.environ.get(FONT_DIR_VARIABLE) or DEFAULT_FONT_DIR)


@cache
def typeface(directory: Path | None = None) -> Typeface:
    """The papers' typeface, its files checked to be there and to set every Vietnamese letter."""
    where = directory or font_dir()
    files = {style: where / name for style, name in FILES.items()}
    for path in files.values():
        if not path.is_file():
            raise MissingFont(
                f"{path} is missing: install Debian's fonts-dejavu-core and fonts-dejavu-extra "
                f"(make install does as root), or set {FONT_DIR_VARIABLE} to where they are."
            )
        glyphs = TTFont(path, lazy=True).getBestCmap()
        letters = VIETNAMESE_LETTERS + VIETNAMESE_LETTERS.upper()
        missing = "".join(sorted({c for c in letters if ord(c) not in glyphs}))
        if missing:
            raise MissingFont(f"{path} cannot set Vietnamese: it has no {missing}.")
    return Typeface(FAMILY, files)
