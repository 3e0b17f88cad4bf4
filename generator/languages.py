"""Names of the languages sources are written in, for readers who do not know BCP 47 codes.

The table is written here rather than taken from a locale library: a library adds its import to every
run, and its aliases can name a language of this region after another one. A code not in the table is
shown as written.
"""

from __future__ import annotations

NAMES = {
    "ar": "Arabic",
    "bg": "Bulgarian",
    "bs": "Bosnian",
    "cnr": "Montenegrin",
    "cs": "Czech",
    "de": "German",
    "el": "Greek",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "hr": "Croatian",
    "hu": "Hungarian",
    "it": "Italian",
    "mk": "Macedonian",
    "nl": "Dutch",
    "pl": "Polish",
    "ro": "Romanian",
    "ru": "Russian",
    "sk": "Slovak",
    "sl": "Slovenian",
    "sq": "Albanian",
    "sr": "Serbian",
    "tr": "Turkish",
    "uk": "Ukrainian",
    "zh": "Chinese",
}
"""English names by primary language subtag: the region's languages and those its news is often in."""


def language_name(code: str) -> str:
    """``sq`` → ``Albanian (sq)``, ``sr-Latn`` → ``Serbian (sr-Latn)``; an unknown code as written."""
    name = NAMES.get(code.split("-", 1)[0].lower())
    return f"{name} ({code})" if name else code
