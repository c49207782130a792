from companies.models.annual import AnnualData
from companies.models.companies import Company, CompanyListStamp
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
    "CompanyListStamp",
    "DemonstrationBatch",
    "Designation",
    "Industry",
    "KeyIndustry",
    "MaturityAssessment",
    "Membership",
    "Region",
    "SurveillanceAudit",
]
