"""Deciding printed claims: identity proofs, exact sample points, radical identities, misprint search."""
