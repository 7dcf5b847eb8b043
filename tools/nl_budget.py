# ruff: noqa: E501  (one translation per line reads best, as in nl_translations.py)
"""Dutch for the budget page of a process (proposals/budget.py, budget_views.py and the
templates proposals/budget*.html). Merged by tools/nl_translations.py.

The page is read by residents too once measures are in consultation: B1 Dutch, short
sentences, common words, "u".
"""

NL = {
    # the form
    "The most support: the least opposition": "Het meeste draagvlak: zo min mogelijk tegenstand",
    "The least harm: the lowest impact scores": "Zo min mogelijk schade: de laagste impactscores",
    "The fewest people affected": "Zo min mogelijk mensen die het merken",
    "What should the package spare most?": "Waar moet het pakket het meest op letten?",
    "Number of alternatives": "Aantal andere pakketten",
    "Besides the best package, show up to 5 next-best packages.": "Naast het beste pakket ziet u tot 5 pakketten die daarna het beste zijn.",
    "Always in the package": "Altijd in het pakket",
    "Never in the package": "Nooit in het pakket",
    "A proposal cannot be always in and never in the package: %(titles)s.": "Een voorstel kan niet altijd én nooit in het pakket zitten: %(titles)s.",
    "Always in or never in the package": "Altijd of nooit in het pakket",
    "For example a proposal the council has already adopted (always in), or one it does not want (never in).": "Bijvoorbeeld een voorstel dat de raad al heeft aangenomen (altijd erin), of een voorstel dat de raad niet wil (nooit erin).",
    "Calculate the packages": "Bereken de pakketten",
    "Choose how to weigh": "Kies waar het pakket op let",
    # how much harm a package does
    "Opposition: %(value)s (the sum of 1 minus the support of each proposal)": "Tegenstand: %(value)s (per voorstel 1 min het draagvlak, bij elkaar opgeteld)",
    "Impact: %(value)s (the sum of the impact scores)": "Impact: %(value)s (de impactscores bij elkaar opgeteld)",
    "People affected: %(value)s": "Aantal geraakte mensen: %(value)s",
    "a measured support": "een gemeten draagvlak",
    "an impact score": "een impactscore",
    "a number of people affected": "een aantal geraakte mensen",
    "To choose on this, every proposal needs %(what)s. These proposals have none yet: %(titles)s. Staff fill it in on the proposal's assessment page, or choose another aim.": "Om hierop te kiezen, heeft elk voorstel %(what)s nodig. Deze voorstellen hebben dat nog niet: %(titles)s. De gemeente vult dit in bij de beoordeling van het voorstel. U kunt ook op iets anders laten letten.",
    "Best package": "Beste pakket",
    "Compared with the best package:": "Verschil met het beste pakket:",
    "in addition": "erbij",
    "left out": "eruit",
    "Alternative %(n)s": "Ander pakket %(n)s",
    # the page
    "Budget": "Begroting",
    "Budget: which proposals close the gap?": "Begroting: welke voorstellen sluiten het tekort?",
    "The council set how much the municipality must save each year. Here you see that gap, the proposals that save money, and the packages of proposals that close the gap in every year with the least harm.": "De raad heeft bepaald hoeveel de gemeente elk jaar moet besparen. Hier ziet u dat tekort en de voorstellen die geld besparen. U ziet ook de pakketten van voorstellen die het tekort in elk jaar sluiten, met zo min mogelijk nadeel.",
    "You see the proposals that are put to residents. Proposals that are still being checked are not included yet.": "U ziet de voorstellen die aan inwoners worden voorgelegd. Voorstellen die de gemeente nog toetst, staan er nog niet bij.",
    "The gap per year": "Het tekort per jaar",
    "A structural gap comes back every year. Only structural savings can close it. An incidental gap happens once; any saving can close it.": "Een structureel tekort komt elk jaar terug. Alleen een structurele besparing lost het op. Een incidenteel tekort is er één keer. Elke besparing kan dat oplossen.",
    "What must be saved per year": "Wat er per jaar bespaard moet worden",
    "The council has not set a savings target for this process, so there is no gap to close.": "De raad heeft voor dit proces geen besparing opgelegd. Er is dus geen tekort om te sluiten.",
    "Packages": "Pakketten",
    (
        "This package closes the gap in every year.",
        "These %(counter)s packages close the gap in every year. The first does the least harm.",
    ): (
        "Dit pakket sluit het tekort in elk jaar.",
        "Deze %(counter)s pakketten sluiten het tekort in elk jaar. Het eerste heeft het minste nadeel.",
    ),
    "The calculation stopped before it could prove that the first package is the very best.": "De berekening stopte voordat zeker was dat het eerste pakket echt het beste is.",
    "The calculation took too long and stopped before it found a package. Try again with fewer alternatives or fewer fixed choices.": "De berekening duurde te lang en stopte voordat er een pakket was. Probeer het opnieuw met minder andere pakketten of minder vaste keuzes.",
    "No package of these proposals closes the gap in every year.": "Geen enkel pakket van deze voorstellen sluit het tekort in elk jaar.",
    "Even the best package falls short:": "Ook het beste pakket komt tekort:",
    "In %(year)s %(amount)s is still missing.": "In %(year)s ontbreekt nog %(amount)s.",
    "More structural savings are needed in those years, or the council must change the frameworks.": "In die jaren zijn meer structurele besparingen nodig. Anders moet de raad de kaders aanpassen.",
    "The best that these proposals can do, per year": "Het beste wat deze voorstellen per jaar kunnen doen",
    "The packages side by side: which proposals each package takes": "De pakketten naast elkaar: welke voorstellen zitten in elk pakket",
    "in": "erin",
    "not in": "niet erin",
    ("%(counter)s proposal.", "%(counter)s proposals."): (
        "%(counter)s voorstel.",
        "%(counter)s voorstellen.",
    ),
    "What the package saves per year: the dark bar is structural, the light bar structural plus incidental. The dashed line over each bar is the gap it must reach. The table gives the same numbers.": "Wat het pakket per jaar bespaart. De donkere balk is structureel, de lichte balk structureel en incidenteel samen. De stippellijn bij elke balk is het tekort dat de balk moet halen. De tabel geeft dezelfde bedragen.",
    "Structural plus incidental": "Structureel en incidenteel samen",
    "Balance per year: %(name)s": "Saldo per jaar: %(name)s",
    "Gap closed?": "Tekort gesloten?",
    "gap": "tekort",
    "saved": "bespaard",
    "balance": "saldo",
    "no, %(amount)s short": "nee, %(amount)s tekort",
    "The proposals to choose from": "De voorstellen waaruit we kiezen",
    "Savings are positive, costs negative. Proposals in the same group exclude each other: a package takes at most one of them.": "Besparingen zijn positief, kosten negatief. Voorstellen in dezelfde groep sluiten elkaar uit: een pakket neemt er hooguit één van.",
    "Staff set the support, the impact score, the people affected and the group on each proposal's assessment page.": "De gemeente legt het draagvlak, de impactscore, het aantal geraakte mensen en de groep vast bij de beoordeling van elk voorstel.",
    "Proposals with their effect per year, in euros": "Voorstellen met hun effect per jaar, in euro",
    "Impact": "Impact",
    "Group": "Groep",
    "There are no proposals with a financial effect to choose from yet.": "Er zijn nog geen voorstellen met een financieel effect om uit te kiezen.",
}
