"""Whether a name is usually a man's or a woman's, for agreement with "he" and "she".

The learnt model knows the given names of its training split (American political news); the
people of our cases are often Syrian, Russian, Turkish, Iranian or European officials, whom it
has never seen. These lists hold common given names of those regions and of the
English-speaking investigators, journalists and officials who write about them, and a Russian
surname standing alone says it itself ("Zakharova" is a woman, "Lavrov" a man). A name in none
of them agrees with either pronoun, so nothing is guessed: the resolver then prefers whoever
was named last.
"""

from __future__ import annotations

_MALE_TEXT = """
    ahmad ahmed ali amr anwar ayman bashar fadi faisal farouk fawaz hafez hamza hassan hussein
    ibrahim imad issa jamal jamil karim khaled khalid mahmoud mahmud majed marwan mohamed
    mohammad mohammed muhammad mustafa nabil nizar omar osama rami riyad saad salah salem
    samir sami tarek walid waleed yasser yousef youssef yusuf ziad abdullah abdulhai abu
    aleksandr alexander alexei andrei anatoly boris dmitri dmitry evgeny fyodor gennady grigory
    igor ivan konstantin maxim mikhail nikolai oleg pavel pyotr sergei sergey vasily viktor
    vitaly vladimir yevgeny yuri vassily vasiliy recep mevlut hulusi binali ahmet javad mohsen akbar
    emmanuel francois françois francois-xavier edmond jean jean-marc jean-yves laurent nicolas olivier
    antonio staffan ban kofi rex donald barack john mike
    adam andrew anthony benjamin brian charles christopher daniel david edward eric george
    henry jack james jason jeffrey jonathan joseph kenneth kevin matthew michael patrick paul
    peter richard robert ronald samuel scott simon stephen steven thomas timothy william
"""
_FEMALE_TEXT = """
    aisha amal asma bouthaina dalia fatima hala hanan hiba huda layla leila lina maha mariam
    maryam mona nadia noor nour rania reem rima salma samar sara sarah yara zainab zeinab
    alexandra anastasia anna ekaterina elena galina irina larisa lyudmila maria marina natalia
    natalya nina olga svetlana tatiana valentina yelena yulia zoya
    angela annalena catherine christine federica florence hillary izumi kamala karen
    marie nikki samantha sophie theresa ursula
    alice amanda amy barbara carol deborah diane elizabeth emily emma helen jane janet jennifer
    jessica julia julie laura linda lisa margaret mary melissa michelle nancy patricia rachel
    rebecca sandra sharon stephanie susan
"""
_MALE = frozenset(_MALE_TEXT.split())
_FEMALE = frozenset(_FEMALE_TEXT.split())
# Russian and Ukrainian surnames agree with the person's sex; read only when a surname stands
# alone, since other languages have names with these endings too.
_FEMALE_ENDINGS = ("ova", "eva", "yova", "ina", "skaya", "tskaya")
_MALE_ENDINGS = ("ov", "ev", "yov", "sky", "skiy", "skii")


def is_given_name(word: str) -> bool:
    """Whether ``word`` is a given name of the lists (any case)."""
    return word.lower() in _MALE or word.lower() in _FEMALE


def name_gender(name: str) -> str:
    """ "male" / "female" when the given name, or a Russian surname standing alone, says
    so; else ""."""
    words = [word.strip(".,").lower() for word in name.split()]
    if not words:
        return ""
    first = words[0]
    if first in ("umm", "um") and len(words) > 1:  # "Umm Mohammed", mother of Mohammed
        return "female"
    if first == "abu" and len(words) > 1:  # "Abu Hamdi", father of Hamdi
        return "male"
    if first in _MALE:
        return "male"
    if first in _FEMALE:
        return "female"
    if len(words) > 1:
        # a full name whose given name is in none of the lists: "Tim Canova" is a man, so a
        # surname's ending alone ("-ova") says nothing here
        return ""
    if first.endswith(_FEMALE_ENDINGS) and len(first) > 5:  # "Zakharova said"
        return "female"
    if first.endswith(_MALE_ENDINGS) and len(first) > 4:  # "Lavrov said"
        return "male"
    return ""
