"""The CJK fonts embedded in generated PDFs and charts (Noto Serif SC / Noto Sans SC).

The font files come from npm (`@expo-google-fonts/noto-serif-sc`, `@expo-google-fonts/noto-sans-sc`:
one complete TrueType file per weight, SIL OFL) and are copied by `make assets` to
``factorytiers/static/vendor/fonts/``; a fresh ``npm ci`` without the copy step also works, since
``node_modules`` is searched second. No system font is needed, and none is used: a document that
silently fell back to whatever the server has installed could print boxes elsewhere.

GB/T 9704 names 仿宋_GB2312 for the body, 黑体 for headings and 方正小标宋简体 for the title; the
documents name those first for Word and WPS, and fall back to Noto Serif SC (仿宋/宋体-like) and
Noto Sans SC (黑体-like) here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
VENDOR_FONT_DIR = PROJECT_ROOT / "factorytiers" / "static" / "vendor" / "fonts"
NODE_MODULES = PROJECT_ROOT / "node_modules"

SERIF = "Noto Serif SC"
SANS = "Noto Sans SC"


class FontsMissing(RuntimeError):
    """The CJK font files are not installed; `make assets` installs them."""


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    file_name: str
    npm_package: str
    npm_folder: str

    @property
    def path(self) -> Path:
        return font_path(self)


FACES: tuple[FontFace, ...] = (
    FontFace(
        SERIF, 400, "NotoSerifSC_400Regular.ttf", "@expo-google-fonts/noto-serif-sc", "400Regular"
    ),
    FontFace(SERIF, 700, "NotoSerifSC_700Bold.ttf", "@expo-google-fonts/noto-serif-sc", "700Bold"),
    FontFace(
        SANS, 400, "NotoSansSC_400Regular.ttf", "@expo-google-fonts/noto-sans-sc", "400Regular"
    ),
    FontFace(SANS, 700, "NotoSansSC_700Bold.ttf", "@expo-google-fonts/noto-sans-sc", "700Bold"),
)


@cache
def font_path(face: FontFace) -> Path:
    candidates = (
        VENDOR_FONT_DIR / face.file_name,
        NODE_MODULES / face.npm_package / face.npm_folder / face.file_name,
    )
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    raise FontsMissing(
        f"缺少中文字体文件 {face.file_name}（{face.family}，npm 包 {face.npm_package}），"
        "请先运行 make assets"
    )


def face(family: str, weight: int = 400) -> FontFace:
    for candidate in FACES:
        if candidate.family == family and candidate.weight == weight:
            return candidate
    raise KeyError(f"{family} {weight}")


def font_face_css() -> str:
    """@font-face rules pointing at the local font files (for WeasyPrint)."""
    rules = []
    for item in FACES:
        rules.append(
            "@font-face { "
            f'font-family: "{item.family}"; font-weight: {item.weight}; font-style: normal; '
            f'src: url("{item.path.as_uri()}") format("truetype"); }}'
        )
    return "\n".join(rules)
