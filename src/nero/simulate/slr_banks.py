"""Word banks of the synthetic literature review (Stage 0).

Everything here is invented for the stand-in: journal names, ISSNs, authors, titles
and keywords. Journal names are deliberately fictitious so that the synthetic
CABS/AJG list never pretends to state a real journal's rating. The coding
vocabulary (APMO elements, technology groups, pathways, methods) and the coding
sheet's columns are the pipeline's own, :mod:`nero.slr.coding` (one definition, in
the layer below the simulator).
"""

from __future__ import annotations

#: (journal name, abbreviation, synthetic AJG rating or None when not on the list, field).
JOURNALS: tuple[tuple[str, str, str | None, str], ...] = (
    ("Journal of Small Business Internationalisation", "J Small Bus Int", "4", "ENT-SBM"),
    ("International Business Review of Digital Markets", "Int Bus Rev Digit Mark", "4", "IB&AREA"),
    ("Journal of World Enterprise Studies", "J World Enterp Stud", "4*", "IB&AREA"),
    ("Entrepreneurship and Regional Growth", "Entrep Reg Growth", "3", "ENT-SBM"),
    ("Small Enterprise Strategy Journal", "Small Enterp Strateg J", "3", "ENT-SBM"),
    ("Technological Change and Enterprise", "Technol Change Enterp", "3", "INNOV"),
    ("Journal of International Marketing Practice", "J Int Mark Pract", "3", "MKT"),
    ("Management of Digital Innovation", "Manag Digit Innov", "3", "INNOV"),
    ("Global Strategy and Organisation", "Glob Strateg Organ", "3", "STRAT"),
    ("Journal of Enterprise Information Systems Research", "J Enterp Inf Syst Res", "2", "ISM"),
    ("Review of International Entrepreneurship", "Rev Int Entrep", "2", "ENT-SBM"),
    ("Operations and Supply Networks Quarterly", "Oper Supply Netw Q", "2", "OPS&TECH"),
    ("Journal of Export Studies", "J Export Stud", "2", "IB&AREA"),
    ("Asia Pacific Enterprise Review", "Asia Pac Enterp Rev", "2", "IB&AREA"),
    ("Electronic Commerce and Society", "Electron Commer Soc", "2", "ISM"),
    ("Regional Journal of Business Development", "Reg J Bus Dev", "1", "ENT-SBM"),
    ("Business Practice Letters", "Bus Pract Lett", "1", "GEN"),
    ("Journal of Applied Digital Economy", "J Appl Digit Econ", "1", "ECON"),
    ("International Journal of Advanced Business Technology Research", "Int J Adv Bus Technol Res", None, ""),
    ("Global Review of Emerging Management Science", "Glob Rev Emerg Manag Sci", None, ""),
)

#: Journals that hold included articles (rated 2 or better).
GOOD_JOURNALS = tuple(j for j in JOURNALS if j[2] in {"2", "3", "4", "4*"})
LOW_JOURNALS = tuple(j for j in JOURNALS if j[2] == "1")
UNLISTED_JOURNALS = tuple(j for j in JOURNALS if j[2] is None)

#: Publishers by journal position (cycled).
PUBLISHERS = (
    ("Meridian Academic Press", "LONDON", "1 Example Row, London, ENGLAND"),
    ("Harbour Scholarly Publishing", "AMSTERDAM", "22 Sample Gracht, Amsterdam, NETHERLANDS"),
    ("Northgate University Press", "NEW YORK", "500 Placeholder Ave, New York, NY 10001 USA"),
)

#: Author surnames and given names; a few carry non-ASCII letters on purpose.
SURNAMES = (
    "Müller",
    "Sánchez-García",
    "Çelik",
    "Nguyễn",
    "Øvergaard",
    "Dąbrowski",
    "Łapińska",
    "Šimić",
    "Gonçalves",
    "Jürgens",
    "Pérez",
    "Ångström",
    "Tan",
    "Lim",
    "Chen",
    "Wang",
    "Kumar",
    "Johansson",
    "Rossi",
    "Kim",
    "Park",
    "Sato",
    "Ahmed",
    "Okafor",
    "Silva",
    "Brown",
    "Lee",
    "Zhang",
    "Li",
    "Hassan",
    "Nielsen",
    "Virtanen",
    "Kowalski",
    "Novak",
    "Papadopoulos",
    "Yilmaz",
    "Das",
    "Singh",
    "Ibrahim",
    "Mensah",
    "Costa",
    "Moreau",
    "Fischer",
    "O'Brien",
    "Van der Berg",
    "Haddad",
)
GIVEN = (
    "Thomas",
    "María José",
    "Ayşe",
    "Thị Lan",
    "Jørgen",
    "Katarzyna",
    "Łukasz",
    "Ivana",
    "João",
    "Renée",
    "Wei Ming",
    "Siew Ling",
    "Ravi",
    "Anna",
    "Marco",
    "Ji-woo",
    "Haruto",
    "Fatima",
    "Chidi",
    "Ana",
    "James",
    "Min",
    "Xin",
    "Omar",
    "Lars",
    "Aino",
    "Piotr",
    "Elena",
    "Nikos",
    "Emre",
    "Priya",
    "Kwame",
    "Sofia",
    "Claire",
    "Jonas",
    "Seán",
    "Pieter",
    "Leila",
    "David",
    "Mei",
    "Björn",
    "Zoë",
)

COUNTRIES = (
    "Singapore",
    "Malaysia",
    "Vietnam",
    "China",
    "India",
    "Germany",
    "Italy",
    "Spain",
    "Finland",
    "Sweden",
    "United Kingdom",
    "United States",
    "Brazil",
    "Nigeria",
    "Ghana",
    "Turkey",
    "Poland",
    "South Korea",
    "Japan",
    "Australia",
    "Portugal",
    "Multi-country",
)
INDUSTRIES = ("manufacturing", "retail", "services", "ICT", "agri-food", "creative industries", "mixed")

#: Canonical author keywords by theme (the planted clusters of the keyword map).
THEMES: dict[str, tuple[str, ...]] = {
    "core": ("smes", "internationalization", "digitalization"),
    "platforms": ("e-commerce", "digital platforms", "social media", "born globals", "online marketing"),
    "transformation": (
        "digital transformation",
        "industry 4.0",
        "business model innovation",
        "dynamic capabilities",
        "organizational learning",
    ),
    "performance": ("export performance", "international entrepreneurship", "absorptive capacity", "innovation"),
    "context": ("institutions", "covid-19", "emerging markets", "government support"),
}
#: Keywords only used in one period (thematic evolution).
EARLY_ONLY = ("internet adoption", "ict")
LATE_ONLY = ("covid-19",)

#: Spelling variants in the records -> canonical keyword (the thesaurus merges them).
VARIANTS: dict[str, tuple[str, ...]] = {
    "smes": ("SMEs", "SME", "small and medium-sized enterprises", "Small and medium enterprises"),
    "internationalization": ("internationalization", "internationalisation", "Internationalisation"),
    "digitalization": ("digitalization", "digitalisation", "Digitalisation"),
    "e-commerce": ("e-commerce", "ecommerce", "electronic commerce", "E-Commerce"),
    "born globals": ("born globals", "born global", "Born-global firms"),
    "covid-19": ("COVID-19", "Covid-19", "coronavirus pandemic"),
    "industry 4.0": ("Industry 4.0", "industry 4.0"),
    "organizational learning": ("organizational learning", "organisational learning"),
    "ict": ("ICT", "information and communication technologies"),
}

#: Keywords of off-topic records (never in the included set).
OFFTOPIC_KEYWORDS = (
    "corporate governance",
    "family firms",
    "large multinationals",
    "tourism demand",
    "supply chain finance",
    "machine learning",
    "hospital management",
    "public procurement",
    "agricultural policy",
    "higher education",
)

#: Title pieces.
TECH_PHRASES = {
    "planning": ("enterprise resource planning", "cloud-based planning tools", "data analytics"),
    "design": ("digital product design", "3D modelling", "virtual prototyping"),
    "production": ("Industry 4.0 technologies", "smart manufacturing", "additive manufacturing"),
    "supply chain": ("digital supply chains", "blockchain-enabled logistics", "cross-border logistics platforms"),
    "marketing/sales": ("social media", "cross-border e-commerce", "digital marketplaces", "online marketing"),
}
OUTCOME_PHRASES = {
    "speed": ("the speed of", "early and rapid"),
    "scale": ("the scale of", "the breadth of"),
    "scope": ("the scope of", "market diversification in"),
    "performance": ("export performance and", "international performance in"),
}
TITLE_TEMPLATES = (
    "How {tech} shapes {outcome} SME internationalization: evidence from {country}",
    "{Tech} and {outcome} internationalisation of small firms: a {method} study in {country}",
    "Digitalization, {mediator} and {outcome} SME internationalization in {country}",
    "Going global online? {Tech}, {mediator} and small firms' foreign expansion in {country}",
    "The role of {mediator} in linking {tech} to {outcome} internationalization of SMEs",
    "From local to global: {tech} and cross-border growth of {industry} SMEs in {country}",
)
OFFTOPIC_TEMPLATES = (
    "{topic} in large firms: a panel study from {country}",
    "{topic} and firm value: evidence from listed companies in {country}",
    "Revisiting {topic} in {country}: a conceptual review",
    "{topic} among small enterprises: a domestic survey in {country}",
    "Digital tools and {topic} in {country}: a policy perspective",
)
OFFTOPIC_TOPICS = (
    "Corporate governance",
    "Board diversity",
    "Tourism demand forecasting",
    "Supply chain finance",
    "Hospital digitalisation",
    "Public procurement reform",
    "Agricultural extension",
    "University spin-offs",
    "Green bonds",
    "Employee wellbeing",
    "Family business succession",
    "Retail pricing",
)


def issn(index: int) -> str:
    """A valid ISSN (check digit per ISO 3297) for journal number ``index``."""
    digits = [int(c) for c in f"{2190000 + 37 * index:07d}"]
    check = (11 - sum(d * w for d, w in zip(digits, range(8, 1, -1))) % 11) % 11
    text = "".join(map(str, digits)) + ("X" if check == 10 else str(check))
    return f"{text[:4]}-{text[4:]}"
