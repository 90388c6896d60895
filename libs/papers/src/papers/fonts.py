"""The typeface the papers are set in: DejaVu Serif, from Debian's fonts-dejavu-core (regular,
bold) and fonts-dejavu-extra (italic), which `make install` and the services' image install.

Its cmap is checked for every Vietnamese letter before a paper is set, so that a font without
them (Liberation 1.x, say) fails loudly instead of printing empty boxes. Each face is cut once
per process to the letters papers use (Latin and Vietnamese, the punctuation around them):
fpdf2 parses the whole file for every paper, and DejaVu's 3,000 glyphs made that most of a
paper's time.
"""

import os
import tempfile
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

FONT_DIR_VARIABLE = "PARTYORG_FONT_DIR"
DEFAULT_FONT_DIR = "/usr/share/fonts/truetype/dejavu"
FAMILY = "DejaVuSerif"
FILES = {"": "DejaVuSerif.ttf", "B": "DejaVuSerif-Bold.ttf", "I": "DejaVuSerif-Italic.ttf"}

VIETNAMESE_LETTERS = (
    "aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ"
)


# Basic Latin, Latin-1, Latin Extended-A and -B, combining marks, Vietnamese, punctuation, ₫
PAPER_LETTERS = [
    *range(0x20, 0x7F),
    *range(0xA0, 0x250),
    *range(0x300, 0x324),
    *range(0x1EA0, 0x1EFA),
    *range(0x2010, 0x2028),
    *range(0x2030, 0x203B),
    0x20AB,
]


class MissingFont(RuntimeError):
    """The papers' font is not installed, or cannot set Vietnamese."""


@dataclass(frozen=True)
class Typeface:
    family: str
    files: dict[str, Path]


def font_dir() -> Path:
    return Path(os.environ.get(FONT_DIR_VARIABLE) or DEFAULT_FONT_DIR)


def typeface(directory: Path | None = None) -> Typeface:
    """The papers' typeface, its files checked to be there and to set every Vietnamese letter
    (papers are set in worker threads: the first ones wait for the one cutting the faces)."""
    with _CUTTING:
        return _typeface(directory)


_CUTTING = threading.Lock()


@cache
def _typeface(directory: Path | None) -> Typeface:
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
    cut = Path(_CUT_FACES.name)
    return Typeface(FAMILY, {style: _cut(path, cut / path.name) for style, path in files.items()})


_CUT_FACES = tempfile.TemporaryDirectory(prefix="partyorg-papers-fonts-")  # removed at exit


def _cut(source: Path, target: Path) -> Path:
    options = subset.Options()
    options.hinting = False
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's timestamps
    font = TTFont(source)
    cutter = subset.Subsetter(options)
    cutter.populate(unicodes=PAPER_LETTERS)
    cutter.subset(font)
    font.save(target)
    return target
