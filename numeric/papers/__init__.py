"""Paper-specific numerics (one subpackage per paper), over the general core."""
