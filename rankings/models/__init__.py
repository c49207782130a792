from rankings.models.figures import CITY_SCOPE, RunFigures
from rankings.models.runs import IndustryLeague, RankingRun, RegionLeague, RunBaseline
from rankings.models.scheme import ScoringScheme
from rankings.models.scores import CompanyScore
from rankings.models.state import DirtyYear

# The league tables of a run, one model per partition (rankings.sql.league writes both).
LEAGUE_MODELS = (RegionLeague, IndustryLeague)

__all__ = [
    "CITY_SCOPE",
    "LEAGUE_MODELS",
    "CompanyScore",
    "DirtyYear",
    "IndustryLeague",
    "RankingRun",
    "RegionLeague",
    "RunBaseline",
    "RunFigures",
    "ScoringScheme",
]
