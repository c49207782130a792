from rankings.models.runs import RankingRun, RegionLeague, RunBaseline
from rankings.models.scheme import ScoringScheme
from rankings.models.scores import CompanyScore
from rankings.models.state import DirtyYear

__all__ = [
    "CompanyScore",
    "DirtyYear",
    "RankingRun",
    "RegionLeague",
    "RunBaseline",
    "ScoringScheme",
]
