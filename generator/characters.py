"""Characters that show nothing, or that reorder the text around them.

A reader cannot see them, so they can make two equal-looking strings differ (a passage that fails
to match for no visible reason), carry hidden text (tag characters), or make a line on a terminal
read differently from what it holds (bidirectional controls). The loader refuses them in YAML,
``generator.verify`` folds them away from stored texts, and ``generator.problems`` prints them as
``?``. Zero-width joiner and non-joiner (U+200C, U+200D) stay allowed: some scripts and emoji
need them.
"""

from __future__ import annotations

import re

INVISIBLE = frozenset(
    {
        *range(0x202A, 0x202F),  # bidirectional embeddings and overrides
        *range(0x2066, 0x206A),  # bidirectional isolates
        0x200E,  # left-to-right and right-to-left marks, Arabic letter mark
        0x200F,
        0x061C,
        0xFEFF,  # byte order mark, zero-width no-break space
        0x2028,  # line and paragraph separators: YAML 1.1 reads them as line breaks
        0x2029,
        0x00AD,  # soft hyphen
        0x034F,  # combining grapheme joiner
        0x180E,  # Mongolian vowel separator
        *range(0x180B, 0x180E),  # Mongolian free variation selectors
        0x180F,
        0x200B,  # zero-width space
        *range(0x2060, 0x2065),  # word joiner, invisible operators
        *range(0x206A, 0x2070),  # deprecated format characters (symmetric swapping, digit shapes)
        0x115F,  # Hangul fillers, which render as nothing
        0x1160,
        0x3164,
        0xFFA0,
        0x17B4,  # Khmer inherent vowels, invisible
        0x17B5,
        0x2800,  # braille pattern blank, which passes for a space
        *range(0xFE00, 0xFE10),  # variation selectors
        *range(0xFFF9, 0xFFFC),  # interlinear annotation
        *range(0x1BCA0, 0x1BCA4),  # shorthand format controls
        *range(0x1D173, 0x1D17B),  # musical formatting controls
        0xE0001,  # language tag
        *range(0xE0020, 0xE0080),  # tag characters, which can spell out hidden text
        *range(0xE0100, 0xE01F0),  # variation selectors supplement
    }
)
"""Code points that show nothing or reorder text: refused in YAML, folded from stored texts, printed as ``?``."""

CONTROLS = "\t\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
"""Tab and the C0 and C1 control characters but line ends, as a regular-expression character class body."""

FORBIDDEN = re.compile("[" + CONTROLS + "".join(f"\\U{code:08x}" for code in sorted(INVISIBLE)) + "]")
"""A character that no YAML value here may hold."""

UNPRINTABLE = re.compile("[\r\n" + CONTROLS + "".join(f"\\U{code:08x}" for code in sorted(INVISIBLE)) + "]")
"""A character that a terminal or a log must not be sent as it is: controls of every kind and invisible ones."""
