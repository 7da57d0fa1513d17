"""Stage 4, running over documents: in memory (`evaluation`), streamed from files
(`streaming`), over a Dask cluster (`distributed`); the `report` of a run and its JSON.
"""
