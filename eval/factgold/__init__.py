"""factgold: a gold-standard benchmark for information extraction from news.

The gold corpus (entities as coreference clusters, relations, numeric facts, time
expressions) lives in the ``corpus/`` dataset folder; this package validates it, builds
its flat views and measures annotator agreement.
"""

__version__ = "0.1.0"
