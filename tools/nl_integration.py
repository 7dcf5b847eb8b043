# ruff: noqa: E501  (one translation per line reads best, as in nl_translations.py)
"""Dutch for the links between the parts of the platform (management pages linking to
results, import and consultations). Merged by tools/nl_translations.py."""

NL = {
    "Voting has closed and the votes are counted.": "Het stemmen is gesloten en de stemmen zijn geteld.",
    "See the results": "Bekijk de uitslag",
    "See the analysis of the packages": "Bekijk de analyse van de pakketten",
    "See the figures so far. After the closing time, or earlier if you must, you close the consultation there and the votes are counted.": "Bekijk de cijfers tot nu toe. Na de sluitingstijd, of eerder als het moet, sluit u daar de raadpleging. Dan worden de stemmen geteld.",
    "Figures so far": "Cijfers tot nu toe",
    "Do you have a vote on a neighbourhood budget in the Pabulib format (.pb)?": "Heeft u een stemming over een buurtbudget in het Pabulib-formaat (.pb)?",
    "The rule %(rule)s counts only ballots on which voters choose projects. For points or a ranking, choose greedy or max-utilitarian.": "De regel %(rule)s telt alleen stembiljetten waarop kiezers projecten kiezen. Kies bij punten of een rangorde greedy of max-utilitarian.",
    "%(name)s leads or belongs to a coalition, so it stays in the register. Remove it from the coalition first.": "%(name)s leidt een coalitie of doet mee in een coalitie. Daarom blijft de organisatie in het register. Haal haar eerst uit de coalitie.",
    "Outcome agreements that need attention": "Afspraken over resultaten die aandacht nodig hebben",
    "Coalitions together": "Samen in coalitie",
    "Two partners are linked when they serve the same target group in the same district, or when they work together in a coalition. A thicker line means more shared combinations of target group and district; a dashed line means they are linked only by a coalition. The table below the picture gives the same links.": "Twee partners zijn verbonden als ze dezelfde doelgroep in dezelfde wijk helpen, of als ze samen in een coalitie werken. Een dikkere lijn betekent: meer gedeelde combinaties van doelgroep en wijk. Een stippellijn betekent: alleen verbonden door een coalitie. De tabel onder de tekening geeft dezelfde verbindingen.",
}
