"""Evaluators generated from derive (see derive.codegen.paper_modules); never edited by hand."""
