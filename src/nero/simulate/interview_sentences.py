"""Sentence banks of the synthetic Study 1 interview transcripts.

Each code of the Study 1 codebook has ``pro`` sentences (the firm relies on
that network, orientation, capacity, ...) and ``con`` sentences (the topic is
discussed but as limited, tried-and-dropped or not relevant: counter-evidence
that keeps the coding realistic). Sentences are templates whose ``{slots}``
are filled from :data:`SLOTS`. Every sentence starts with a letter and ends
with punctuation, so a coded selection always starts and ends on a word
boundary. :func:`code_description` quotes a bank's first sentence as the
codebook example of its code. Everything here is invented for the synthetic
stand-in study.
"""

from __future__ import annotations

from nero.simulate.interview_codes import (
    ASSOC,
    CAP,
    CODE_DEFINITIONS,
    DIG,
    ECOM,
    EFF,
    FOUNDER,
    GOV,
    GRANT,
    MKT,
    PARTNER,
    REG,
    RES,
    SCO,
    SOCIAL,
)

#: Values for template slots (drawn per sentence).
SLOTS: dict[str, tuple[str, ...]] = {
    "agency": (
        "Enterprise Singapore",
        "the Economic Development Board",
        "IMDA",
        "SkillsFuture Singapore",
        "Workforce Singapore",
    ),
    "grant": ("Enterprise Development Grant", "Productivity Solutions Grant", "Market Readiness Assistance grant"),
    "amount": ("S$30,000", "S$45,000", "S$80,000", "S$120,000", "S$250,000", "S$1.2 million"),
    "small_amount": ("S$3,000", "S$5,000", "S$8,000", "S$12,000"),
    "association": (
        "the Singapore Manufacturing Federation",
        "the Singapore Business Federation",
        "the Singapore Chinese Chamber of Commerce & Industry",
        "the Association of Small & Medium Enterprises",
        "our industry association",
    ),
    "country": (
        "Vietnam",
        "Indonesia",
        "Malaysia",
        "Thailand",
        "the Philippines",
        "Australia",
        "Japan",
        "South Korea",
        "the UAE",
        "Germany",
        "India",
        "Mexico",
    ),
    "city": ("Jakarta", "Ho Chi Minh City", "Kuala Lumpur", "Bangkok", "Manila", "Dubai", "Sydney", "Tokyo"),
    "platform": ("Shopee", "Lazada", "Amazon", "Tokopedia", "Alibaba.com", "Amazon Business", "Tmall Global"),
    "social": ("LinkedIn", "Instagram", "TikTok", "WhatsApp groups", "Facebook groups", "a Reddit community"),
    "ecosystem": (
        "Shopify app partners",
        "a Xero integration partner",
        "AWS Marketplace",
        "the Salesforce AppExchange",
        "a regional fulfilment network",
    ),
    "number": ("three", "four", "five", "six", "eight"),
    "percent": ("15 per cent", "20 per cent", "30 per cent", "40 per cent", "half"),
    "year": ("2016", "2018", "2019", "2020", "2021", "2022"),
    "headcount": ("twelve", "twenty", "thirty-five", "forty", "sixty"),
}

#: Sentence banks: code -> {"pro": [...], "con": [...]}.
BANK: dict[str, dict[str, tuple[str, ...]]] = {
    GOV: {
        "pro": (
            "Our account manager at {agency} has been with us since the first overseas trip, and she opens doors we could never open ourselves.",
            "When we wanted to enter {country}, the first call was to Enterprise Singapore, who connected us to their overseas centre and to two potential distributors.",  # noqa: E501
            "Frankly, the credibility of saying that we work with {agency} counts for a lot when a foreign buyer has never heard of a small Singapore company.",
            "We sit down with {agency} every quarter to review our plans, and they push us to think about capability building rather than just sales.",
            "The officers at {agency} also told us which certifications the buyers in {country} would insist on, which saved us months.",
            "Through {agency} we joined a trade mission to {city}, and three of our current customers came from the meetings they arranged.",
        ),
        "con": (
            "We spoke to {agency} once, but to be honest the process felt slow and we decided to move on without them.",
            "I know {agency} has programmes for companies like ours, but we have never really needed to work with them.",
            "Government agencies are useful for some firms, but for us the paperwork did not match how fast we move.",
        ),
    },
    GRANT: {
        "pro": (
            "The {grant} covered a large part of our automation project, roughly {amount}, which we could not have financed on our own.",
            "We used the {grant} twice, first for a new ERP system and later for a consultancy on process redesign.",
            "Without the {grant} we would have delayed the new production line by at least two years.",
            "The {grant} paid for the market study and the trade fair booth when we first went to {country}, so the risk felt manageable.",
            "Every major investment we made in the last five years had some grant support, and we plan our projects around the grant cycles.",
        ),
        "con": (
            "We looked at the {grant}, but the claim process was so heavy that we decided the {small_amount} was not worth the admin.",
            "Grants are nice to have, but we never built our plans around them.",
            "We applied for the {grant} once and were rejected, and after that we stopped relying on subsidies.",
        ),
    },
    ASSOC: {
        "pro": (
            "Being active in {association} gave us a seat at the table with larger firms, and two of them later became our partners.",
            "The business missions organised by {association} were where we met our first agent in {country}.",
            "I sit on a committee at {association}, and the contacts there are often the quickest way to find a reliable supplier abroad.",
            "Through the chamber we were introduced to a certification body, and that certification is now a condition for most of our export contracts.",
            "{association} runs breakfast sessions where members share which markets are opening, and that is where we first heard about the opportunity in {city}.",  # noqa: E501
        ),
        "con": (
            "We are members of {association} on paper, but honestly I rarely attend their events.",
            "The chamber events tend to be for bigger companies, so we never found much value there.",
        ),
    },
    ECOM: {
        "pro": (
            "Today about {percent} of our revenue comes through {platform}, and the store runs almost around the clock without extra staff.",
            "We opened our first overseas storefront on {platform} in {year}, and within six months we had orders from {number} countries.",
            "The nice thing about {platform} is that it handles payment and logistics, so a five-person team can sell across the region.",
            "We test every new product on {platform} first, because the reviews tell us within weeks whether there is demand in {country}.",
            "Cross-border platforms like {platform} gave us customers in {country} before we had a single local contact there.",
            "During the campaign season on {platform} our orders triple, so we plan our production calendar around those dates.",
        ),
        "con": (
            "We tried listing a few products on {platform}, but it never became a serious channel for us.",
            "Our customers are industrial buyers, so marketplaces like {platform} are not really how they purchase.",
            "The fees on {platform} ate most of our margin, so after a year we closed the store.",
        ),
    },
    SOCIAL: {
        "pro": (
            "Most of our leads now come from {social}, where we share short videos of the product being used.",
            "We built a community on {social} of about {headcount} thousand followers, and they tell us what to make next.",
            "A post on {social} by a customer in {country} went viral, and we received more enquiries that week than in the previous year.",
            "I spend an hour every morning answering questions on {social}, because that is where distributors first notice us.",
            "Online communities let us talk directly to customers in {country} without paying a distributor to do it.",
        ),
        "con": (
            "We have a page on {social}, but nobody in our industry buys because of a social media post.",
            "Social media is something my nephew set up for us, and I cannot say it has brought us much business.",
        ),
    },
    PARTNER: {
        "pro": (
            "We plugged into {ecosystem}, and suddenly we could offer invoicing and inventory features our clients had been asking for.",
            "Our software is listed on {ecosystem}, which means their partners recommend us to clients in {country}.",
            "Working with {ecosystem} gave us access to a logistics and payments backbone that would have taken years to build.",
            "Half of our new clients last year came through referrals inside {ecosystem}, not through our own sales team.",
        ),
        "con": (
            "We looked at joining {ecosystem}, but the integration work was too much for our small team.",
            "Digital partner programmes sound good, but in our industry everything still happens through personal relationships.",
        ),
    },
    EFF: {
        "pro": (
            "For us the main reason to work with partners is to bring our unit costs down, because our margins are thin.",
            "We moved part of our assembly to {country} purely because labour and rent are cheaper there.",
            "Every decision goes through one question: does it make us more productive per worker?",
            "We streamlined our order process so that one person now handles what used to take three people.",
            "Sourcing components from {country} cut our input costs by about {percent}, and that is what keeps us competitive.",
            "Automation was the priority, and our throughput per shift went up by almost {percent} after the new line.",
        ),
        "con": (
            "Cost cutting is not really our strategy, because customers pay for quality rather than for a low price.",
            "We could probably be leaner, but efficiency has never been the reason we expand.",
        ),
    },
    MKT: {
        "pro": (
            "We go abroad to find customers, because the Singapore market is simply too small to grow a real business.",
            "Entering {country} was about market share, and we accepted lower margins for the first two years to get a foothold.",
            "Every new market adds volume, and that volume is what justifies investing in more capacity back home.",
            "Our goal is to be in {number} markets in the region within three years, and we are on track for that.",
            "We chose {city} as our next base because the customer base there is ten times what we have at home.",
            "Honestly, the overseas orders are what allowed us to scale up here, so going abroad and building capacity go together.",
        ),
        "con": (
            "We are not chasing new markets for the sake of it, because the priority is to serve our existing customers well.",
            "Overseas expansion is not a goal in itself for us, and most of our growth still comes from Singapore.",
        ),
    },
    CAP: {
        "pro": (
            "Over the last three years we doubled our production floor in Singapore and hired {headcount} more people.",
            "Before we could take on the large overseas orders, we had to invest in our own capacity here first.",
            "We moved into a bigger facility in {year}, and that was the turning point, because suddenly we could say yes to larger contracts.",
            "Our team in Singapore has grown from {headcount} to well over a hundred, and most of the new hires are engineers.",
            "We invested heavily in training our local staff, because capacity is not only machines but also people who can run them.",
            "The new warehouse in Tuas lets us handle roughly three times the volume we could manage before.",
        ),
        "con": (
            "Our capacity at home has barely changed, because we outsource most of the production.",
            "We deliberately kept the Singapore team small and let partners do the heavy lifting.",
        ),
    },
    SCO: {
        "pro": (
            "Today we sell in {number} countries, and overseas revenue is now larger than what we make in Singapore.",
            "Our subsidiary in {country} broke even in its second year, which was faster than we planned.",
            "We entered {country} and {country2} within the same year, and both are now growing faster than our home market.",
            "International sales grew by about {percent} last year, mostly from repeat customers in {city}.",
            "We now have a small office in {city} with local staff, so we are no longer just exporting from Singapore.",
        ),
        "con": (
            "Our international expansion has been slower than I hoped, and two markets did not work out.",
            "We pulled out of {country} after eighteen months because the numbers never added up.",
        ),
    },
    RES: {
        "pro": (
            "As a small company the biggest constraint is people, because we simply do not have enough managers to run several markets at once.",
            "Cash flow is always tight, and one late payment from an overseas buyer can hurt us for months.",
            "We could not afford a full-time person in {country}, so I was flying there every other month.",
            "Finding engineers in Singapore who are willing to join a small firm is very hard.",
        ),
        "con": (),
    },
    REG: {
        "pro": (
            "The product registration in {country} took almost two years, and the rules changed twice during that time.",
            "Import duties and local content rules in {country} make it hard to compete with local players.",
            "Payment collection in {country} is a real problem, and we lost money on one distributor who simply disappeared.",
            "Each market has its own labelling and certification requirements, so every new country means new paperwork.",
        ),
        "con": (),
    },
    DIG: {
        "pro": (
            "We built our own dashboard that pulls sales data from every channel, so we see in real time what sells where.",
            "Our team learned to run digital campaigns in-house, which means we can launch in a new market in a few weeks.",
            "We moved the whole operation to the cloud in {year}, and that made it possible to work with partners in {country} as if they were next door.",
            "Data analytics tells us which products to push in which market, and we no longer guess.",
        ),
        "con": (
            "We are not a very digital company, and most of our processes still run on spreadsheets and phone calls.",
        ),
    },
    FOUNDER: {
        "pro": (
            "A lot of our early business came from my own contacts from my previous job in {country}.",
            "My co-founder studied in {country}, and her classmates became our first distributors there.",
            "Personal relationships still matter most, and most deals start with someone I have known for years.",
            "I met our current partner in {city} through a former colleague, and we agreed the first order over dinner.",
        ),
        "con": (),
    },
}

#: Sentences carrying the required non-ASCII text (accented pseudonyms, emoji).
ACCENTED_SENTENCES: tuple[tuple[str, str], ...] = (
    (
        FOUNDER,
        "Our distributor in Mexico, José, was a friend from my MBA class, and he placed the very first export order.",
    ),
    (
        GOV,
        "Zoë, our officer at Enterprise Singapore, connected us with the Singapore overseas centre before our first visit.",
    ),
    (REG, "Our partner in Vietnam, Ms Nguyễn, spent four months helping us with the product registration there."),
)

#: The emoji sentence (a quoted chat message; U+1F44D lies outside the BMP).
EMOJI_SENTENCE = (
    SCO,
    'The buyer in Jakarta sent us a WhatsApp message saying "Container received, all good \U0001f44d" and that was when I knew the market was real.',
)


def _first_fill(template: str) -> str:
    """Fill every slot of ``template`` with the slot's first value (a stable codebook example)."""
    out = template
    for slot, values in SLOTS.items():
        out = out.replace("{" + slot + "}", values[0])
    out = out.replace("{country2}", SLOTS["country"][1])
    return out[0].upper() + out[1:]


def code_description(path: str) -> str:
    """The codebook description of ``path``: its definition, and for a leaf code an example."""
    definition = CODE_DEFINITIONS[path]
    if path not in BANK or not BANK[path]["pro"]:
        return definition
    return f"{definition} Example: \u201c{_first_fill(BANK[path]['pro'][0])}\u201d"
