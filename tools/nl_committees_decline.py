# ruff: noqa: E501  (one translation per line reads best, as in nl_translations.py)
"""Dutch for declining a drawn seat, the replacement draw (aanvullende loting) and the mail
rate limits of the public forms. Merged by tools/nl_translations.py.

Pages and e-mails for residents are B1 Dutch: short sentences, common words, "u".
"""

NL = {
    # models and the audit trail
    "Declined the seat": "Plaats niet aangenomen",
    "replacement for": "aanvulling op",
    "Replacement draw for declined seats": "Aanvullende loting voor vrijgekomen plaatsen",
    "Drawn member declined the seat": "Gelote deelnemer nam de plaats niet aan",
    "mail throttle entry": "registratie voor de mailbegrenzing",
    "mail throttle": "mailbegrenzing",
    "key (keyed hash)": "sleutel (versleutelde hash)",
    # services
    "The reason can be at most 1000 characters long.": "De reden mag hoogstens 1000 tekens lang zijn.",
    "Only a member who was drawn by lot can decline the seat.": "Alleen iemand die is geloot, kan de plaats niet aannemen.",
    "The committee has already started its work. Declining the seat is no longer possible here. Please contact the municipality.": "Het comité is al aan het werk. U kunt uw plaats hier niet meer afzeggen. Neem contact op met de gemeente.",
    "A replacement draw is only possible while the committee is being formed or in its first working step.": "Een aanvullende loting kan alleen zolang het comité wordt samengesteld of in zijn eerste werkstap is.",
    "An earlier draw of this committee used this seed. A replacement draw needs a new seed: announce a new one first.": "Een eerdere loting van dit comité gebruikte dit lotingsgetal. Een aanvullende loting heeft een nieuw lotingsgetal nodig: maak eerst een nieuw getal bekend.",
    "There were many sign-ups from your internet connection in the last hour. Please try again later.": "Er kwamen het afgelopen uur veel aanmeldingen via uw internetverbinding. Probeer het later opnieuw.",
    "We have sent several e-mails to this address in the last hour. Please use the link in the newest e-mail, or try again later.": "We hebben het afgelopen uur al een paar e-mails naar dit adres gestuurd. Gebruik de link in de nieuwste e-mail, of probeer het later opnieuw.",
    "We received too many requests from you in a short time. Please try again later.": "We kregen in korte tijd te veel verzoeken van u. Probeer het later opnieuw.",
    # staff: declining on someone's behalf
    "Decline the seat on their behalf": "Plaats afmelden namens deze persoon",
    "Reason (optional)": "Reden (niet verplicht)",
    "For example: “Called on 3 March: moves away.” It is kept in the history.": "Bijvoorbeeld: “Belde op 3 maart: gaat verhuizen.” De reden komt in de geschiedenis.",
    "%(name)s no longer has a seat. The seat is free for a replacement draw.": "%(name)s heeft geen plaats meer. De plaats is vrij voor een aanvullende loting.",
    "Decline a seat on someone's behalf": "Een plaats afmelden namens iemand",
    "Did a drawn member tell you that they cannot take the seat? Then decline it for them here. They lose the seat and the workspace; this cannot be undone. The free seat can be filled with a replacement draw.": "Heeft een geloot lid laten weten dat hij of zij de plaats niet kan aannemen? Meld de plaats dan hier af. De persoon verliest de plaats en de werkruimte; dit kan niet worden teruggedraaid. De vrije plaats kunt u vullen met een aanvullende loting.",
    "Only a member who was drawn by lot can decline the seat, while the committee is being formed or in its first working step.": "Alleen een geloot lid kan de plaats afzeggen, zolang het comité wordt samengesteld of in zijn eerste werkstap is.",
    # the applicant's own pages (B1)
    "You have declined your seat. Thank you for letting us know.": "U hebt uw plaats niet aangenomen. Bedankt dat u het ons laat weten.",
    "Can you not take part after all? Then let us know. Someone else can then get your seat.": "Kunt u toch niet meedoen? Laat het ons dan weten. Dan kan iemand anders uw plaats krijgen.",
    "Decline the seat": "Plaats niet aannemen",
    "You have declined your seat. You are not a member of the committee.": "U hebt uw plaats niet aangenomen. U bent geen lid van het comité.",
    "Someone else from the list of applicants gets your seat. Thank you for letting us know.": "Iemand anders van de lijst met aanmeldingen krijgt uw plaats. Bedankt dat u het ons liet weten.",
    "Do you want to take part later? Then join the knowledge network.": "Wilt u later meedoen? Meld u dan aan voor het kennisnetwerk.",
    "Are you sure?": "Weet u het zeker?",
    "You were drawn for %(name)s. Do you not want the seat? Then you are no longer a member.": "U bent geloot voor %(name)s. Wilt u de plaats niet? Dan bent u geen lid meer.",
    "You cannot undo this. Someone else gets your seat.": "U kunt dit niet terugdraaien. Iemand anders krijgt uw plaats.",
    "Yes, I decline the seat": "Ja, ik neem de plaats niet aan",
    "No, I keep my seat": "Nee, ik houd mijn plaats",
    "You cannot decline a seat here (any more). Do you have a question? Please contact the municipality.": "U kunt hier (nu) geen plaats afzeggen. Hebt u een vraag? Neem contact op met de gemeente.",
    "Back to your application": "Terug naar uw aanmelding",
    # the replacement draw
    "The replacement draw is done. These are the new members.": "De aanvullende loting is gedaan. Dit zijn de nieuwe leden.",
    "Chance of being drawn in replacement draw %(n)s, per applicant": "Kans om geloot te worden in aanvullende loting %(n)s, per aanmelder",
    ("%(counter)s seat free after declines.", "%(counter)s seats free after declines."): (
        "%(counter)s plaats vrij na afmelding.",
        "%(counter)s plaatsen vrij na afmelding.",
    ),
    ("%(counter)s seat free after declines", "%(counter)s seats free after declines"): (
        "%(counter)s plaats vrij na afmelding",
        "%(counter)s plaatsen vrij na afmelding",
    ),
    "Prepare the replacement draw": "Aanvullende loting voorbereiden",
    (
        "This committee was drawn, and %(counter)s replacement draw filled seats that drawn members declined. Each draw is shown below in order, with its own seed and files.",
        "This committee was drawn, and %(counter)s replacement draws filled seats that drawn members declined. Each draw is shown below in order, with its own seed and files.",
    ): (
        "Dit comité is geloot, en %(counter)s aanvullende loting vulde plaatsen die gelote leden niet aannamen. Hieronder staat elke loting op volgorde, met een eigen lotingsgetal en eigen bestanden.",
        "Dit comité is geloot, en %(counter)s aanvullende lotingen vulden plaatsen die gelote leden niet aannamen. Hieronder staat elke loting op volgorde, met een eigen lotingsgetal en eigen bestanden.",
    ),
    "Replacement draw %(n)s": "Aanvullende loting %(n)s",
    "The pool of this draw is everyone still in the pool: not those drawn before, and not those who declined. The quotas are those of the whole committee minus the members who kept their seat.": "De pool van deze loting is iedereen die nog in de pool zat: niet wie eerder is geloot, en niet wie de plaats niet aannam. De quota zijn die van het hele comité, min de leden die hun plaats hielden.",
    "declined the seat": "nam de plaats niet aan",
    "Replacement draw": "Aanvullende loting",
    "Drawn members declined their seat. This replacement draw fills the free seats from the applicants who are still in the pool. The members who kept their seat count for the quotas. It needs a new seed: announce it before you draw. The earlier draw stays as it was.": "Gelote leden namen hun plaats niet aan. Deze aanvullende loting vult de vrije plaatsen uit de aanmelders die nog in de pool zitten. De leden die hun plaats hielden, tellen mee voor de quota. Er is een nieuw lotingsgetal nodig: maak het bekend voordat u loot. De eerdere loting blijft zoals hij was.",
    "See the earlier draws": "De eerdere lotingen bekijken",
    (
        "%(counter)s seat is taken by a member who keeps it",
        "%(counter)s seats are taken by members who keep them",
    ): (
        "%(counter)s plaats is bezet door een lid dat blijft",
        "%(counter)s plaatsen zijn bezet door leden die blijven",
    ),
    "Draw the free seats": "De vrije plaatsen loten",
    "On %(date)s we drew %(seats)s members for seats that became free, from %(pool)s applicants, with the seed %(seed)s.": "Op %(date)s hebben we %(seats)s leden geloot voor plaatsen die vrijkwamen, uit %(pool)s aanmelders, met het lotingsgetal %(seed)s.",
    (
        "%(counter)s seat became free. We will draw it again, with the seed %(seed)s.",
        "%(counter)s seats became free. We will draw them again, with the seed %(seed)s.",
    ): (
        "%(counter)s plaats is vrijgekomen. We loten deze plaats opnieuw, met het lotingsgetal %(seed)s.",
        "%(counter)s plaatsen zijn vrijgekomen. We loten deze plaatsen opnieuw, met het lotingsgetal %(seed)s.",
    ),
}
