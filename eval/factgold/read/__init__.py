"""Stage 2, reading and checking input.

`document` is the gold model, `schema` the JSON Schemas (the contract), `jsonl` strict JSON
reading, `offsets` span arithmetic, `validate` the gold's checks and house rules,
`predictions` a predictions file read and checked; `adapters/` turns other tools' outputs
(Hugging Face, spaCy, GLiNER, LangExtract, BRAT, CoNLL, raw LLM answers) into predictions.
A new input format is a new adapter module.
"""
