"""Value sharing: which partnership models fit a deal, what each is worth, the board paper."""
