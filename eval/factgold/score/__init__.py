"""Per-document scoring: each task's module aligns predictions to gold and returns counts and errors."""
