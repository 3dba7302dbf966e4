"""Reading and writing LaTeX: the paper-file reader, canonical grammar, closed forms to paste."""
