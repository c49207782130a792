from rankings.models.figures import CITY_SCOPE, RunFigures
from rankings.models.runs import RankingRun, RegionLeague
from rankings.models.scheme import ScoringScheme
from rankings.models.scores import CompanyScore
from rankings.models.state import DirtyYear

__all__ = [
    "CITY_SCOPE",
    "CompanyScore",
    "DirtyYear",
    "RankingRun",
    "RegionLeague",
    "RunFigures",
    "ScoringScheme",
]
