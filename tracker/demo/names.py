"""Chinese names for the demo dataset: companies, people, addresses and projects, built
from syllable lists so that thousands of them read naturally and rarely repeat."""

from __future__ import annotations

import random

from companies.validators import CREDIT_CODE_ALPHABET, credit_code_check_char

# The name a company registers under starts with its county-level city or county; companies
# of the districts and functional areas register as 金华.
REGISTRATION_PLACE = {
    "330702": "金华市",
    "330703": "金华市",
    "330781": "兰溪市",
    "330783": "东阳市",
    "330782": "义乌市",
    "330784": "永康市",
    "330726": "浦江县",
    "330723": "武义县",
    "330727": "磐安县",
    "JHKFQ": "金华市",
    "JYXQ": "金华市",
}
ADDRESS_PLACE = {
    "330702": "浙江省金华市婺城区",
    "330703": "浙江省金华市金东区",
    "330781": "浙江省兰溪市",
    "330783": "浙江省东阳市",
    "330782": "浙江省义乌市",
    "330784": "浙江省永康市",
    "330726": "浙江省浦江县",
    "330723": "浙江省武义县",
    "330727": "浙江省磐安县",
    "JHKFQ": "浙江省金华市开发区",
    "JYXQ": "浙江省金华市金义新区",
}

BRAND_SYLLABLES = (
    "华 丰 恒 鑫 达 瑞 宏 源 泰 盛 通 嘉 金 利 德 安 兴 科 博 诚 信 力 远 正 新 天 宇 振 锦 宝 "
    "永 康 富 隆 昌 顺 益 美 凯 捷 皇 冠 飞 龙 腾 海 洲 星 辉 光 明 豪 威 立 铭 优 精 佳 友 "
    "合 众 东 方 荣 发 万 亿 聚 汇 卓 越 航 驰 彩 晶 成 峰 达 伟 强 奥 图 帅 杰 群 森 春"
).split()

# What the middle of the name says the company makes, by GB/T 4754 division.
TRADE_WORDS = {
    "13": ("食品", "粮油"),
    "14": ("食品", "火腿"),
    "15": ("酒业", "茶业", "饮品"),
    "17": ("纺织", "织造", "针织"),
    "18": ("服饰", "袜业", "制衣"),
    "19": ("鞋业", "皮革"),
    "20": ("木业", "竹木制品"),
    "21": ("家具", "红木家具", "家居"),
    "22": ("纸业", "包装"),
    "23": ("印刷", "包装印刷"),
    "24": ("工艺品", "文具", "饰品", "玩具", "体育用品"),
    "25": ("能源",),
    "26": ("化工", "新材料", "涂料"),
    "27": ("药业", "生物医药", "制药"),
    "28": ("化纤", "纤维"),
    "29": ("塑业", "橡塑", "塑胶制品"),
    "30": ("水晶", "建材", "陶瓷"),
    "31": ("钢业", "特钢"),
    "32": ("铜业", "铝业", "磁业"),
    "33": ("五金", "工贸", "金属制品", "杯业", "门业", "锁业"),
    "34": ("机械", "工具", "机电", "动力"),
    "35": ("机械设备", "智能装备", "专用设备"),
    "36": ("汽车部件", "汽配", "车业", "电动车"),
    "37": ("摩托车", "车辆"),
    "38": ("电器", "电机", "磁电", "电子电器", "照明"),
    "39": ("电子", "光电", "通信科技"),
    "40": ("仪表", "仪器"),
    "41": ("工贸", "实业"),
    "42": ("再生资源", "环保科技"),
    "43": ("机械维修", "设备修理"),
}
COMPANY_FORMS = ("有限公司",) * 12 + ("股份有限公司",) * 2 + ("集团有限公司",)

SURNAMES = (
    "王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 林 罗 高 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 "
    "彭 曾 肖 田 董 潘 袁 蒋 蔡 余 杜 叶 程 楼 应 厉 卢 金 施 方 吕 俞 盛 倪 童 葛"
).split()
GIVEN_SYLLABLES = (
    "伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 涛 明 超 秀 霞 平 刚 桂 英 华 建 国 文 辉 峰 "
    "玲 燕 红 俊 飞 鹏 宇 浩 婷 雪 晨 斌 波 宁 鑫 晓 海 志 林 东 永 春 卫 兵 琴 云 洁"
).split()

STREET_WORDS = (
    "工业 经济 科技 创业 振兴 长城 环城 双龙 江南 丹溪 金山 九峰 花园 西城 东城 五金 "
    "望春 总部 开发 园区 象山 八一 人民 解放 新华 胜利 迎宾 宾虹 李渔 婺江"
).split()
STREET_KINDS = ("路", "路", "大道", "街")


def company_name(rng: random.Random, region_code: str, division: str) -> str:
    """A company name such as 永康市恒瑞工贸有限公司."""
    brand = rng.choice(BRAND_SYLLABLES) + rng.choice(BRAND_SYLLABLES)
    trade = rng.choice(TRADE_WORDS.get(division, ("工贸", "实业", "科技")))
    return f"{REGISTRATION_PLACE[region_code]}{brand}{trade}{rng.choice(COMPANY_FORMS)}"


def unique_company_name(rng: random.Random, region_code: str, division: str, used: set) -> str:
    """A company name not in `used` (which it joins); a third brand syllable is added when
    two syllables keep colliding, as real registrations do."""
    for _attempt in range(8):
        name = company_name(rng, region_code, division)
        if name not in used:
            used.add(name)
            return name
    place = REGISTRATION_PLACE[region_code]
    while True:
        extra = rng.choice(BRAND_SYLLABLES)
        name = name.replace(place, place + extra, 1)
        if name not in used:
            used.add(name)
            return name


def short_name(company_name: str) -> str:
    """The name without the place and the legal form: 永康市恒瑞工贸有限公司 → 恒瑞工贸."""
    for place in sorted(set(REGISTRATION_PLACE.values()), key=len, reverse=True):
        if company_name.startswith(place):
            company_name = company_name[len(place) :]
            break
    for form in sorted(set(COMPANY_FORMS), key=len, reverse=True):
        if company_name.endswith(form):
            return company_name[: -len(form)]
    return company_name


def person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN_SYLLABLES)
    if rng.random() < 0.7:
        given += rng.choice(GIVEN_SYLLABLES)
    return rng.choice(SURNAMES) + given


def mobile_number(rng: random.Random) -> str:
    return rng.choice(("13", "15", "18", "17", "19")) + "".join(
        rng.choice("0123456789") for _ in range(9)
    )


def address(rng: random.Random, region_code: str) -> str:
    street = rng.choice(STREET_WORDS) + rng.choice(STREET_KINDS)
    return f"{ADDRESS_PLACE[region_code]}{street}{rng.randint(1, 2999)}号"


# 31**9 codes fit in the nine characters after the registration prefix; multiplying the
# company's position by a number coprime to it spreads the codes out and keeps them unique.
_CODE_SPACE = 31**9
_CODE_STRIDE = 77_777_777_777
_REGION_DIGITS = {
    "330702": "330702",
    "330703": "330703",
    "330781": "330781",
    "330783": "330783",
    "330782": "330782",
    "330784": "330784",
    "330726": "330726",
    "330723": "330723",
    "330727": "330727",
    "JHKFQ": "330701",
    "JYXQ": "330701",
}


def credit_code(index: int, seed: int, region_code: str) -> str:
    """The unified social credit code of the `index`-th demo company: unique per index and
    seed, with the GB 32100-2015 check digit."""
    number = (index * _CODE_STRIDE + seed * 104_729 + 1) % _CODE_SPACE
    body = []
    for _ in range(9):
        number, digit = divmod(number, 31)
        body.append(CREDIT_CODE_ALPHABET[digit])
    # 9: enterprise, 1: company, then the region's administrative code.
    first17 = "91" + _REGION_DIGITS[region_code] + "".join(reversed(body))
    return first17 + credit_code_check_char(first17)
