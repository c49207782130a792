from companies.models.annual import AnnualData
from companies.models.companies import Company
from companies.models.programme import (
    Certification,
    DemonstrationBatch,
    Designation,
    MaturityAssessment,
    SurveillanceAudit,
)
from companies.models.reference import Industry, KeyIndustry, Region
from companies.models.roles import Membership

__all__ = [
    "AnnualData",
    "Certification",
    "Company",
    "DemonstrationBatch",
    "Designation",
    "Industry",
    "KeyIndustry",
    "MaturityAssessment",
    "Membership",
    "Region",
    "SurveillanceAudit",
]
