"""Sentence banks for the synthetic Study 1 interview transcripts.

Each code of the Study 1 codebook has ``pro`` sentences (the firm relies on
that network, orientation, capacity, ...) and ``con`` sentences (the topic is
discussed but as limited, tried-and-dropped or not relevant: counter-evidence
that keeps the coding realistic). Sentences are templates whose ``{slots}``
are filled from :data:`SLOTS`. Every sentence starts with a letter and ends
with punctuation, so a coded selection always starts and ends on a word
boundary. Everything here is invented for the synthetic stand-in study.
"""

from __future__ import annotations

#: Study 1 code paths (docs/architecture.md), in codebook order.
CODE_PATHS = (
    "Networks/Institutional/Government agencies",
    "Networks/Institutional/Grant schemes",
    "Networks/Institutional/Associations and chambers",
    "Networks/Virtual/E-commerce platforms",
    "Networks/Virtual/Social media and online communities",
    "Networks/Virtual/Digital partner ecosystems",
    "Orientation/Efficiency-seeking",
    "Orientation/Market-seeking",
    "Capacity/Domestic scale-up",
    "Scale-out/International expansion",
    "Barriers/Resource constraints",
    "Barriers/Regulatory and market barriers",
    "Enablers/Digital capabilities",
    "Enablers/Founder networks",
)

GOV = "Networks/Institutional/Government agencies"
GRANT = "Networks/Institutional/Grant schemes"
ASSOC = "Networks/Institutional/Associations and chambers"
ECOM = "Networks/Virtual/E-commerce platforms"
SOCIAL = "Networks/Virtual/Social media and online communities"
PARTNER = "Networks/Virtual/Digital partner ecosystems"
EFF = "Orientation/Efficiency-seeking"
MKT = "Orientation/Market-seeking"
CAP = "Capacity/Domestic scale-up"
SCO = "Scale-out/International expansion"
RES = "Barriers/Resource constraints"
REG = "Barriers/Regulatory and market barriers"
DIG = "Enablers/Digital capabilities"
FOUNDER = "Enablers/Founder networks"

#: Values for template slots (drawn per sentence).
SLOTS: dict[str, tuple[str, ...]] = {
    "agency": ("Enterprise Singapore", "the Economic Development Board", "IMDA", "SkillsFuture Singapore", "Workforce Singapore"),
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
    "country": ("Vietnam", "Indonesia", "Malaysia", "Thailand", "the Philippines", "Australia", "Japan", "South Korea", "the UAE", "Germany", "India", "Mexico"),
    "city": ("Jakarta", "Ho Chi Minh City", "Kuala Lumpur", "Bangkok", "Manila", "Dubai", "Sydney", "Tokyo"),
    "platform": ("Shopee", "Lazada", "Amazon", "Tokopedia", "Alibaba.com", "Amazon Business", "Tmall Global"),
    "social": ("LinkedIn", "Instagram", "TikTok", "WhatsApp groups", "Facebook groups", "a Reddit community"),
    "ecosystem": ("Shopify app partners", "a Xero integration partner", "AWS Marketplace", "the Salesforce AppExchange", "a regional fulfilment network"),
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
            "When we wanted to enter {country}, the first call was to Enterprise Singapore, who connected us to their overseas centre and to two potential distributors.",
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
            "{association} runs breakfast sessions where members share which markets are opening, and that is where we first heard about the opportunity in {city}.",
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

#: Neutral, uncoded sentences used as context inside answers.
CONTEXT: tuple[str, ...] = (
    "That is a good question, and I have thought about it quite a lot.",
    "Let me give you a bit of background first.",
    "It was not a straight line, of course.",
    "In the beginning we made many mistakes.",
    "I think every small company goes through this phase.",
    "We were lucky with the timing, to be fair.",
    "It took us a while to understand what really mattered.",
    "The pandemic changed a lot of things for us.",
    "My partner and I still argue about this sometimes.",
    "I would say the picture is more mixed than it looks from outside.",
    "Looking back, some of those decisions were quite risky.",
    "We discuss this at every management meeting.",
    "Our customers have become much more demanding over the years.",
    "It is hard to separate one factor from another.",
    "There was no master plan in the beginning.",
    "We learned most of this by doing rather than by planning.",
)

#: Interviewer questions per topic.
QUESTIONS: dict[str, tuple[str, ...]] = {
    "background": (
        "Thank you for taking the time. Could you start by telling me briefly about the company and how it has grown?",
        "To begin, could you describe the firm and its journey so far?",
    ),
    "institutional": (
        "How have government agencies, grant schemes or business associations figured in your growth?",
        "Could you tell me about your relationships with agencies such as Enterprise Singapore, or with trade associations and chambers?",
    ),
    "virtual": (
        "What role do digital channels, for example e-commerce platforms, social media or online partner networks, play for you?",
        "How important are online platforms and digital communities in the way you reach customers?",
    ),
    "orientation": (
        "When you decide to expand or to work with a partner, what is the main motivation: lowering costs, or reaching new markets?",
        "What drives your expansion decisions, efficiency or new customers?",
    ),
    "capacity": (
        "How has your capacity here in Singapore changed over the last few years?",
        "Could you say something about how you scaled up your operations at home?",
    ),
    "international": (
        "Let us talk about your international markets. Where are you today, and how did you get there?",
        "How has your international expansion developed?",
    ),
    "barriers": (
        "What have been the biggest obstacles along the way?",
        "What has held you back, if anything?",
    ),
    "enablers": (
        "And what has helped you most, apart from what we have already discussed?",
        "Which capabilities or relationships made the difference for you?",
    ),
    "closing": (
        "If another small firm asked you for advice on scaling up and out at the same time, what would you tell them?",
        "Is there anything we have not covered that you think is important?",
    ),
}

#: Closing remarks (uncoded).
CLOSINGS: tuple[str, ...] = (
    "Build the base at home first, and then use every network you can find, formal or informal.",
    "Do not be shy about asking for help, because people are more willing to help than you think.",
    "Pick one market, learn it properly, and only then move on to the next one.",
    "Keep your costs under control, but do not let that stop you from taking a bet when the timing is right.",
)

#: Topic of each code (which answer it appears in).
CODE_TOPIC = {
    GOV: "institutional",
    GRANT: "institutional",
    ASSOC: "institutional",
    ECOM: "virtual",
    SOCIAL: "virtual",
    PARTNER: "virtual",
    EFF: "orientation",
    MKT: "orientation",
    CAP: "capacity",
    SCO: "international",
    RES: "barriers",
    REG: "barriers",
    DIG: "enablers",
    FOUNDER: "enablers",
}

#: Interview topics in order.
TOPICS = ("background", "institutional", "virtual", "orientation", "capacity", "international", "barriers", "enablers", "closing")

#: Planted evidence per archetype: code -> (pro sentences, con sentences).
PROFILES: dict[str, dict[str, tuple[int, int]]] = {
    "Institutional Optimizer": {
        GOV: (3, 0), GRANT: (3, 0), ASSOC: (2, 0), ECOM: (0, 1), SOCIAL: (0, 1), PARTNER: (0, 0),
        EFF: (4, 0), MKT: (1, 1), CAP: (3, 0), SCO: (2, 0), RES: (2, 0), REG: (1, 0), DIG: (0, 1), FOUNDER: (1, 0),
    },
    "Strategic Explorer": {
        GOV: (2, 0), GRANT: (2, 0), ASSOC: (3, 0), ECOM: (1, 1), SOCIAL: (0, 1), PARTNER: (0, 0),
        EFF: (1, 1), MKT: (4, 0), CAP: (3, 0), SCO: (3, 0), RES: (1, 0), REG: (2, 0), DIG: (1, 0), FOUNDER: (2, 0),
    },
    "Platform Optimizer": {
        GOV: (1, 0), GRANT: (1, 0), ASSOC: (0, 1), ECOM: (3, 0), SOCIAL: (2, 0), PARTNER: (3, 0),
        EFF: (4, 0), MKT: (1, 1), CAP: (3, 0), SCO: (2, 0), RES: (2, 0), REG: (1, 0), DIG: (3, 0), FOUNDER: (1, 0),
    },
    "Agile Global Scaler": {
        GOV: (0, 1), GRANT: (0, 1), ASSOC: (0, 1), ECOM: (3, 0), SOCIAL: (3, 0), PARTNER: (2, 0),
        EFF: (1, 1), MKT: (4, 0), CAP: (2, 0), SCO: (3, 0), RES: (1, 0), REG: (2, 0), DIG: (2, 0), FOUNDER: (2, 0),
    },
}

#: Firm descriptors per archetype: (descriptor, codebook sector code).
SECTORS: dict[str, tuple[tuple[str, int], ...]] = {
    "Institutional Optimizer": (
        ("Precision engineering", 1),
        ("Industrial cleaning chemicals", 1),
        ("Marine equipment", 1),
        ("Medical devices distribution", 2),
        ("Food processing equipment", 1),
    ),
    "Strategic Explorer": (
        ("Halal food products", 5),
        ("Architecture consultancy", 4),
        ("Specialty sauces", 5),
        ("Water treatment solutions", 6),
    ),
    "Platform Optimizer": (
        ("Furniture and design", 2),
        ("Fashion accessories", 2),
        ("Third-party logistics", 6),
        ("Printing services", 6),
    ),
    "Agile Global Scaler": (
        ("Skincare products", 2),
        ("Education technology", 3),
        ("B2B software", 3),
        ("Gaming peripherals", 3),
    ),
}

#: Respondent roles.
ROLES = ("Founder and CEO", "Managing Director", "Co-founder and COO", "General Manager", "Head of Business Development", "Director of Operations")

#: Sentences carrying the required non-ASCII text (accented pseudonyms, emoji).
ACCENTED_SENTENCES: tuple[tuple[str, str], ...] = (
    (FOUNDER, "Our distributor in Mexico, José, was a friend from my MBA class, and he placed the very first export order."),
    (GOV, "Zoë, our officer at Enterprise Singapore, connected us with the Singapore overseas centre before our first visit."),
    (REG, "Our partner in Vietnam, Ms Nguyễn, spent four months helping us with the product registration there."),
)

#: The emoji sentence (a quoted chat message; U+1F44D lies outside the BMP).
EMOJI_SENTENCE = (
    SCO,
    'The buyer in Jakarta sent us a WhatsApp message saying "Container received, all good \U0001F44D" and that was when I knew the market was real.',
)

#: How each interview was held (drawn per interview from its own stream, with these weights).
INTERVIEW_MODES: tuple[tuple[str, float], ...] = (("video call", 0.6), ("in person", 0.3), ("telephone", 0.1))

#: Codebook definitions (the ``Description`` of every code in the REFI-QDA project). Parent
#: codes define the theme or aggregate dimension they group; leaf codes say what is coded
#: and what is not. The example of a leaf code is added by :func:`code_description`.
CODE_DEFINITIONS: dict[str, str] = {
    "Networks": "Aggregate dimension: the external ties the firm draws on to grow, formal or informal.",
    "Networks/Institutional": "Theme: formal ties that confer legitimacy and subsidised resources (agencies, grant schemes, associations, trade missions, certification bodies).",
    "Networks/Virtual": "Theme: informal digital ties that confer reach and agility (cross-border platforms, online communities, digital partner ecosystems).",
    "Orientation": "Aggregate dimension: the strategic reason the firm gives for its ties and its expansion.",
    "Capacity": "Aggregate dimension: growth of the firm's domestic base.",
    "Scale-out": "Aggregate dimension: growth of the firm's foreign business.",
    "Barriers": "Aggregate dimension: what slows or blocks scaling.",
    "Enablers": "Aggregate dimension: firm-internal capabilities and personal relationships that make scaling possible.",
    GOV: "Support, advice, introductions or legitimacy from a government agency (e.g. Enterprise Singapore, EDB, IMDA). Code also limited or dropped contact with an agency. Not grant money as such (Grant schemes).",
    GRANT: "Use, planning or rejection of a public grant or co-funding scheme to finance investment or market entry. Not advice from the agency that runs the scheme (Government agencies).",
    ASSOC: "Membership of, or help from, trade associations, chambers of commerce and industry federations (events, referrals, market intelligence).",
    ECOM: "Selling or sourcing through cross-border e-commerce platforms and digital marketplaces.",
    SOCIAL: "Reaching customers, partners or market knowledge through social media and online communities.",
    PARTNER: "Relying on digital partner ecosystems (software platforms, app stores, cloud and logistics partners) to extend the firm's capabilities.",
    EFF: "Ties or expansion motivated by lower costs, cheaper inputs, productivity or process efficiency.",
    MKT: "Ties or expansion motivated by new customers, market share abroad or enlarging the scale of operations (capacity-boosting).",
    CAP: "Growth of capacity in Singapore: workforce, skills, production or service volume, automation, investment in the home base.",
    SCO: "Entering foreign markets, growth of foreign sales, and how international expansion has performed.",
    RES: "Shortages of money, people, time or management attention that limit scaling.",
    REG: "Foreign regulation, certification, registration, tariffs or market conditions that slow entry or growth abroad.",
    DIG: "The firm's own digital skills and systems (data, e-commerce operations, online marketing) as a source of growth.",
    FOUNDER: "Personal and alumni ties of the founders or managers that open doors at home or abroad.",
}


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
