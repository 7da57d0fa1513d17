"""Stage 1, grounding: strings and numbers found in a text.

`text` finds a string in a document's text (exact, normalized, fuzzy); `numbers` reads a
number written as a string. Neither needs the document model: they take text.
"""
