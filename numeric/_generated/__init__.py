"""Evaluators generated from derive (see derive.codegen); never edited by hand."""
