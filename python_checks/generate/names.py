"""Word lists for names, e-mails, subjects and notes (all ASCII)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import numpy as np

VENDOR_DOMAIN = "parleyhq.com"
PUBLIC_MAIL_DOMAINS = ("gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com")


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


COMPANY_FIRST = _words(
    """Acme Apex Atlas Aurora Beacon Birch Blue Bright Canyon Cedar Cobalt Crest Delta Ember
    Evergreen Falcon Fjord Forge Granite Harbor Helix Horizon Indigo Iron Juniper Keystone Lumen
    Maple Meridian Nimbus Nova Oak Onyx Orbit Pine Pioneer Polar Quartz Radiant Redwood River
    Sable Sierra Silver Solstice Summit Terra Tidal Trident Union Vanguard Vertex Willow
    Zenith"""
)
COMPANY_SECOND = _words(
    """Analytics Bank Bio Brands Capital Care Clinics Cloud Consulting Dental Design Energy
    Engineering Foods Freight Games Health Homes Industries Insurance Labs Law Learning Logistics
    Media Medical Motors Networks Outdoors Partners Pharma Realty Retail Robotics Security
    Software Solar Studios Systems Telecom Tools Travel Ventures Wellness Works"""
)
INDUSTRIES = (
    "Software",
    "Financial Services",
    "Healthcare",
    "Retail",
    "Manufacturing",
    "Education",
    "Professional Services",
    "Media",
    "Logistics",
    "Real Estate",
    "Energy",
    "Hospitality",
)
COUNTRIES = ("US", "GB", "DE", "CA", "AU", "FR", "NL", "IN", "SE", "ES", "BR", "JP")
COUNTRY_WEIGHTS = (0.52, 0.1, 0.07, 0.06, 0.04, 0.04, 0.03, 0.04, 0.02, 0.03, 0.03, 0.02)

FIRST_NAMES = _words(
    """james mary robert patricia john jennifer michael linda david elizabeth william barbara
    richard susan joseph jessica thomas sarah charles karen daniel lisa matthew nancy anthony
    betty mark sandra paul ashley steven emily andrew donna kenneth michelle priya arjun wei mei
    hiroshi yuki lukas sofia mateo lucia olivia noah emma liam ava ethan mia lucas amara kwame
    fatima omar ingrid lars chloe hugo ana diego zara ravi"""
)
LAST_NAMES = _words(
    """smith johnson williams brown jones garcia miller davis rodriguez martinez hernandez lopez
    gonzalez wilson anderson thomas taylor moore jackson martin lee perez thompson white harris
    sanchez clark ramirez lewis robinson walker young allen king wright scott nguyen patel kim
    chen singh mueller schmidt rossi dubois silva santos tanaka sato okafor mensah larsen nielsen
    kowalski novak ivanova haddad cohen murphy obrien"""
)
CONTACT_TITLES = (
    "CEO",
    "CTO",
    "COO",
    "VP Operations",
    "Head of IT",
    "IT Manager",
    "Office Manager",
    "Operations Lead",
    "Sales Director",
    "Customer Success Lead",
    "Procurement Manager",
    "Finance Director",
    "Team Lead",
    "Project Manager",
)
STAFF_TITLES = {
    "sales": "Account Executive",
    "csm": "Customer Success Manager",
    "support": "Support Engineer",
    "product": "Product Manager",
    "executive": "VP Customer Success",
}

TICKET_SUBJECTS = (
    "Messages not delivered to some recipients",
    "Cannot start a meeting from the calendar",
    "Contacts import stuck at 90%",
    "Integration with our CRM stopped syncing",
    "Weekly report shows wrong numbers",
    "File upload fails for large attachments",
    "How do I change admin permissions?",
    "Question about our invoice",
    "SSO login loop",
    "Feature request: message scheduling",
    "Notifications arrive late on mobile",
    "Need help adding new seats",
)
TASK_SUBJECTS = {
    "Call": ("Check-in call", "Escalation follow-up", "Adoption review call", "Renewal call"),
    "Email": (
        "Follow-up email",
        "Shared best practices",
        "Sent training material",
        "Renewal quote",
    ),
    "Meeting": ("Onboarding kickoff", "Admin training", "Roadmap session", "Success plan review"),
    "QBR": ("Quarterly business review",),
}
HEALTH_NOTES = {
    1: ("Escalated, considering alternatives", "Champion left, no response", "Very unhappy"),
    2: ("Low usage, several open issues", "Budget concerns raised", "Frustrated with support"),
    3: ("Steady but limited adoption", "Mixed feedback from teams", "Needs attention"),
    4: ("Healthy usage, good relationship", "Positive QBR", "Expanding to new teams"),
    5: ("Strong advocate, reference customer", "Exec sponsor very engaged", "Great adoption"),
}
SURVEY_COMMENTS = {
    "low": ("Too many bugs lately", "Support takes too long", "Hard to get the team to use it"),
    "mid": ("It does the job", "Some features are confusing", "OK but pricey"),
    "high": ("Love the meetings integration", "Our team lives in it", "Great support"),
}


def pick_text(
    options: Mapping[Hashable, Sequence[str]], keys: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """For each key, one of `options[key]` at random (object array)."""
    out = np.empty(len(keys), dtype=object)
    for key in dict.fromkeys(keys.tolist()):
        rows = keys == key
        out[rows] = rng.choice(np.array(options[key], dtype=object), int(rows.sum()))
    return out
