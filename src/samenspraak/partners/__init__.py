"""Partners: the register of societal organisations, their current offering (het aanbod in
beeld), the coverage of themes, target groups and districts, its gaps and overlaps, and the
partner network."""
