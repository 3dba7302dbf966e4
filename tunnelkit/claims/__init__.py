"""Paper files: LaTeX claims over a model or field file, verdicts, corrections, reports."""
