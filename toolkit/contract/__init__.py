"""Contract assembly: clause selection, markup, numbering, definitions."""
