"""Paper-specific derivations (one subpackage per paper), over the general machinery."""
