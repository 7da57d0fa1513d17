"""Stage 3, aligning and scoring one document: the pure core.

`config` holds the settings and the signature that names them; `align` the matching;
`counts` the PRF and scheme counts; one module per view (`mentions`, `clusters`, `coref`,
`entity_level`, `relations`, `numeric`), with `resolve` linking predictions to gold
entities and `items` the error items; `per_document` runs every view on one document into
`document_scores`. A new metric is a new module here.
"""
