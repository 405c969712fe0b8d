"""The suite's own models of the standards (oracles): what a target's answers should be.

Written from the standard files and DOMAIN.md only, independently of ``reference_impl``; a rule
shared by both by accident would make the reference server's pass worthless.
"""
