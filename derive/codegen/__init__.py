"""Code generation: one printer core, the paper evaluators' modules and the model evaluators."""
