"""The figures the dataset reproduces and the shape of Jinhua's industry it is drawn from.

The counts at the default scale come from the 2020 article (mission/seed-000): eight
batches, nearly 1,000 pilots among some 5,000 companies above designated size, 483 IMS
projects for 1.8 billion RMB, 64 demonstration projects for 2.1 billion RMB.
"""

import datetime
from decimal import Decimal

# Companies in the default dataset; about 5,000 of them above designated size.
DEFAULT_COMPANIES = 6000
ABOVE_SIZE_SHARE = 0.835
PILOT_SHARE = 0.1655  # of all companies, taken from those above size: 993 at the default

# The article's key projects at the default scale; money in 万元.
IMS_PROJECTS = 483
IMS_INVESTMENT = Decimal("180000.00")  # 1.8 billion RMB
DEMO_PROJECTS = 64
DEMO_INVESTMENT = Decimal("210000.00")  # 2.1 billion RMB

# Eight yearly batches of demonstration companies, 2012–2019.
BATCH_YEARS = tuple(range(2012, 2020))
ANNUAL_YEARS = (2017, 2018, 2019)

# The day the default dataset is built as of (`load_demo --as-of`, default): the article's
# date, so that `make run` shows every newcomer the figures the README quotes.
DEMO_AS_OF = datetime.date(2020, 4, 14)

# Industrial robots added in 2019 at the default scale (the article: "exceeded 2,000"); the
# loader spreads exactly this many over the robot users (tracker.demo.plan).
ROBOTS_ADDED_2019 = 2546
# Robots in service per employee at the end of 2019, by standing: China's manufacturing
# averaged 187 robots per 10,000 employees in 2019 (IFR World Robotics 2020), a highly
# automated plant several hundred; no demo company goes beyond MAX_ROBOT_DENSITY.
ROBOT_DENSITY = {"transformed": (0.02, 0.08), "pilot": (0.01, 0.04), "other": (0.003, 0.02)}
MAX_ROBOT_DENSITY = 0.15

# Pilots (of 2018 or earlier) in the 2019 cohort of transformed companies.
TRANSFORMED_SHARE_OF_PILOTS = 0.45

# Share of above-size companies that are not pilots yet practise smart manufacturing.
NON_PILOT_PRACTISING_SHARE = 0.92

# Where companies are (above-size company counts of the county-level divisions, rounded):
# Yiwu, Yongkang and Dongyang carry most of the city's industry.
REGION_WEIGHTS = {
    "330782": 19,  # 义乌市
    "330784": 18,  # 永康市
    "330783": 13,  # 东阳市
    "330702": 8,  # 婺城区
    "330781": 8,  # 兰溪市
    "330723": 8,  # 武义县
    "330703": 7,  # 金东区
    "330726": 7,  # 浦江县
    "JHKFQ": 6,  # 金华开发区
    "330727": 3,  # 磐安县
    "JYXQ": 3,  # 金义新区
}
SHOWCASE_REGION = "330784"  # the demo company user's company is in Yongkang

# GB/T 4754 divisions, weighted the way the city's industry leans: metal products (33),
# general equipment (34), electrical machinery (38), vehicles (36), rubber and plastics (29).
INDUSTRY_WEIGHTS = {
    "33": 16, "34": 12, "38": 11, "36": 9, "29": 8, "24": 6, "17": 5, "18": 5, "35": 5,
    "30": 4, "26": 3, "39": 3, "21": 3, "27": 2, "32": 1, "13": 1.5, "19": 1.5, "37": 1.5,
    "14": 1, "15": 1, "20": 1, "22": 1, "23": 1, "40": 1, "41": 1, "28": 0.5, "31": 0.5,
    "42": 0.5, "43": 0.3, "25": 0.2,
}  # fmt: skip

# Local specialisations that multiply the weights above: Yongkang hardware and tools, Yiwu
# small commodities and apparel, Dongyang magnetic materials, wood carving and furniture,
# Pujiang crystal, the development zone's vehicles.
REGION_INDUSTRY_BIAS = {
    "330784": {"33": 2.5, "34": 2.0, "36": 1.5},
    "330782": {"24": 3.0, "18": 2.0, "17": 1.5, "29": 1.3},
    "330783": {"38": 2.0, "21": 2.0, "20": 2.0, "27": 1.5},
    "330726": {"30": 4.0, "17": 1.5},
    "330723": {"33": 1.5, "34": 1.5},
    "330781": {"17": 2.0, "26": 1.5},
    "JHKFQ": {"36": 2.5, "38": 1.5},
    "JYXQ": {"36": 2.0, "39": 2.0},
}

# Which key subdivision industry a company of a division may carry, and how often it does.
KEY_INDUSTRY_SHARE = 0.35
KEY_INDUSTRIES_BY_DIVISION = {
    "33": ("smart-door-locks", "vacuum-flasks"),
    "34": ("power-garden-tools", "smart-door-locks"),
    "38": ("power-garden-tools", "magnetic-graphene", "smart-home"),
    "36": ("nev-and-parts",),
    "39": ("optoelectronics",),
    "27": ("biomedicine",),
    "26": ("magnetic-graphene",),
    "32": ("magnetic-graphene",),
    "21": ("smart-home",),
}

# Value added per employee (万元) by division, before company-level spread.
PRODUCTIVITY_BASE = 15.0
PRODUCTIVITY_BY_DIVISION = {
    "26": 1.6, "27": 1.8, "39": 1.4, "36": 1.3, "38": 1.2, "32": 1.3, "25": 2.0,
    "18": 0.6, "17": 0.8, "19": 0.6, "24": 0.7, "20": 0.7, "21": 0.8,
}  # fmt: skip

# Transformed companies (pilots with an accepted key project) against the rest, 2019 vs 2018.
TRANSFORMED_PRODUCTIVITY_FACTOR = 1.45
TRANSFORMED_ADDED_VALUE_GROWTH = (1.21, 1.33)
TRANSFORMED_UNSKILLED_DROP = (0.19, 0.29)
TRANSFORMED_PROFIT_GROWTH = (1.17, 1.31)
REST_ADDED_VALUE_GROWTH = (0.97, 1.12)
REST_UNSKILLED_DROP = (-0.03, 0.07)
REST_PROFIT_GROWTH = (0.90, 1.16)
