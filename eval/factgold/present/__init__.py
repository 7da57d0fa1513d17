"""Stage 5, presenting: text and Markdown tables (`render`), HTML (`html`, `templates/`),
plots, statistics (intervals, comparisons), leaderboards, repeated runs, the README's
results table, and the standard extraction prompt. A new output format goes here.
"""
