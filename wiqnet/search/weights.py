"""Points per ranking signal: what a search weighs, and how much (used by rank and signals)."""

# Points per signal. A matching topic counts most, then a matching need.
TOPIC = 12.0
# A service's topic points shrink by this share for each topic beyond the second.
SPREAD = 0.1
# The share of the points an asked topic beyond the best one adds.
COVER = 0.3
AUTHORITY = 4.0
# A clinic or doctor ranks below counselling for a problem, unless treatment is asked for.
TREATMENT = 2.0
# A service of an institution whose name holds every word typed ("pro familia", "Caritas"):
# a query naming an institution lists its services first.
NAMED = 30.0
# A query of topic words names an institution only when one alone bears them:
# "Kinderschutzbund" names one, "Kita" the topic (and Kitas).
NAMED_FEW = 1
# A service whose newest source is old may have changed or closed.
OLD = 2.0
NEED = 10.0
EXTRA_NEED = 0.5
# Per need beyond the first: small, as a service's topics already tell a specialist from a
# catch-all (SPREAD); an office with several needs (Jobcenter) is no catch-all.
GENERALIST = 0.25
TEXT = 6.0
TEXT_HALF = 4.0
QUARTER = 1.5
NEAR = 3.0
NEAR_HALF_M = 1000.0
HOME = 1.0
HOME_HALF_M = 3000.0
OPEN = 3.0
LANGUAGE = 3.0
AUDIENCE = 2.0
# A service whose age range holds the age the query tells, or not.
AGE = 4.0
AREA = 2.0
FREE = 0.5
FREE_ASKED = 2.0
# When nothing in the quarter serves the need, the nearest service is lifted by this.
NEAREST = 1.0
