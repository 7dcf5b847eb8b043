# ruff: noqa: E501  (one translation per line reads best, as in nl_translations.py)
"""Dutch for the published distribution file of a committee draw (verdeling.json) and the
status page of an applicant while a replacement draw is pending. Merged by
tools/nl_translations.py.

Pages for residents are B1 Dutch: short sentences, common words, "u".
"""

NL = {
    # models
    "distribution file": "verdelingsbestand",
    # the result page of a draw
    "Check the draw without a solver": "Controleren zonder rekenprogramma",
    "With this file anyone can redo the draw exactly, even with another version of the software.": "Met dit bestand kan iedereen de loting precies nadoen, ook met een andere versie van de software.",
    "every possible committee the draw chose from, with its chance": "alle mogelijke comités waaruit de loting koos, elk met zijn kans",
    # the applicant's status page (B1)
    "You were not drawn in the first draw. But seats have become free since then.": "U bent bij de eerste loting niet ingeloot. Maar er zijn nu plaatsen vrijgekomen.",
    "Not everyone who was drawn can take part. The free seats go to others in an extra draw. You take part in that draw, so you may still be drawn.": "Niet iedereen die geloot is, kan meedoen. De vrije plaatsen gaan via een extra loting naar anderen. U doet mee aan die loting. U kunt dus nog geloot worden.",
}
