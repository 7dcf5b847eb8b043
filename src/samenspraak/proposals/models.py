"""Proposals, their versions, amendments and comments, and Programmes of Requirements."""
