"""The plan of a synthetic Study 1 interview: who is interviewed, what is asked, what each archetype says.

The interviewer's questions per topic, neutral context and closing sentences, the
topic each code is discussed under, the planted evidence per archetype (how many
``pro`` and ``con`` sentences of each code), the firms' descriptors, the
respondents' roles and the interview modes. Everything here is invented for the
synthetic stand-in study.
"""

from __future__ import annotations

from nero.simulate.interview_codes import (
    ASSOC,
    CAP,
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
TOPICS = (
    "background",
    "institutional",
    "virtual",
    "orientation",
    "capacity",
    "international",
    "barriers",
    "enablers",
    "closing",
)

#: Planted evidence per archetype: code -> (pro sentences, con sentences).
PROFILES: dict[str, dict[str, tuple[int, int]]] = {
    "Institutional Optimizer": {
        GOV: (3, 0),
        GRANT: (3, 0),
        ASSOC: (2, 0),
        ECOM: (0, 1),
        SOCIAL: (0, 1),
        PARTNER: (0, 0),
        EFF: (4, 0),
        MKT: (1, 1),
        CAP: (3, 0),
        SCO: (2, 0),
        RES: (2, 0),
        REG: (1, 0),
        DIG: (0, 1),
        FOUNDER: (1, 0),
    },
    "Strategic Explorer": {
        GOV: (2, 0),
        GRANT: (2, 0),
        ASSOC: (3, 0),
        ECOM: (1, 1),
        SOCIAL: (0, 1),
        PARTNER: (0, 0),
        EFF: (1, 1),
        MKT: (4, 0),
        CAP: (3, 0),
        SCO: (3, 0),
        RES: (1, 0),
        REG: (2, 0),
        DIG: (1, 0),
        FOUNDER: (2, 0),
    },
    "Platform Optimizer": {
        GOV: (1, 0),
        GRANT: (1, 0),
        ASSOC: (0, 1),
        ECOM: (3, 0),
        SOCIAL: (2, 0),
        PARTNER: (3, 0),
        EFF: (4, 0),
        MKT: (1, 1),
        CAP: (3, 0),
        SCO: (2, 0),
        RES: (2, 0),
        REG: (1, 0),
        DIG: (3, 0),
        FOUNDER: (1, 0),
    },
    "Agile Global Scaler": {
        GOV: (0, 1),
        GRANT: (0, 1),
        ASSOC: (0, 1),
        ECOM: (3, 0),
        SOCIAL: (3, 0),
        PARTNER: (2, 0),
        EFF: (1, 1),
        MKT: (4, 0),
        CAP: (2, 0),
        SCO: (3, 0),
        RES: (1, 0),
        REG: (2, 0),
        DIG: (2, 0),
        FOUNDER: (2, 0),
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
ROLES = (
    "Founder and CEO",
    "Managing Director",
    "Co-founder and COO",
    "General Manager",
    "Head of Business Development",
    "Director of Operations",
)

#: How each interview was held (drawn per interview from its own stream, with these weights).
INTERVIEW_MODES: tuple[tuple[str, float], ...] = (("video call", 0.6), ("in person", 0.3), ("telephone", 0.1))
