"""The Study 1 codebook of the synthetic interviews: code paths and their definitions.

:data:`CODE_PATHS` lists the codes in codebook order (docs/architecture.md); the short
names (``GOV``, ``ECOM``, ...) key the sentence banks (:mod:`nero.simulate.interview_sentences`)
and the interview plan (:mod:`nero.simulate.interview_script`). Everything here is
invented for the synthetic stand-in study.
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

#: Codebook definitions (the ``Description`` of every code in the REFI-QDA project). Parent
#: codes define the theme or aggregate dimension they group; leaf codes say what is coded
#: and what is not. The example of a leaf code is added by
#: :func:`nero.simulate.interview_sentences.code_description`.
CODE_DEFINITIONS: dict[str, str] = {
    "Networks": "Aggregate dimension: the external ties the firm draws on to grow, formal or informal.",
    "Networks/Institutional": "Theme: formal ties that confer legitimacy and subsidised resources (agencies, grant schemes, associations, trade missions, certification bodies).",  # noqa: E501
    "Networks/Virtual": "Theme: informal digital ties that confer reach and agility (cross-border platforms, online communities, digital partner ecosystems).",
    "Orientation": "Aggregate dimension: the strategic reason the firm gives for its ties and its expansion.",
    "Capacity": "Aggregate dimension: growth of the firm's domestic base.",
    "Scale-out": "Aggregate dimension: growth of the firm's foreign business.",
    "Barriers": "Aggregate dimension: what slows or blocks scaling.",
    "Enablers": "Aggregate dimension: firm-internal capabilities and personal relationships that make scaling possible.",
    GOV: "Support, advice, introductions or legitimacy from a government agency (e.g. Enterprise Singapore, EDB, IMDA). Code also limited or dropped contact with an agency. Not grant money as such (Grant schemes).",  # noqa: E501
    GRANT: "Use, planning or rejection of a public grant or co-funding scheme to finance investment or market entry. Not advice from the agency that runs the scheme (Government agencies).",  # noqa: E501
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
