"""Reference data: Jinhua's 11 county-level regions, GB/T 4754-2017 manufacturing divisions
13–43, and the city's eight key subdivision industries of 2019."""

from django.db import migrations

REGIONS = [
    # code, Chinese, English, kind
    ("330702", "婺城区", "Wucheng District", "district"),
    ("330703", "金东区", "Jindong District", "district"),
    ("330781", "兰溪市", "Lanxi", "county_city"),
    ("330783", "东阳市", "Dongyang", "county_city"),
    ("330782", "义乌市", "Yiwu", "county_city"),
    ("330784", "永康市", "Yongkang", "county_city"),
    ("330726", "浦江县", "Pujiang County", "county"),
    ("330723", "武义县", "Wuyi County", "county"),
    ("330727", "磐安县", "Pan'an County", "county"),
    ("JHKFQ", "金华开发区", "Jinhua Development Zone", "functional_area"),
    ("JYXQ", "金义新区", "Jinyi New Area", "functional_area"),
]

INDUSTRIES = [
    ("13", "农副食品加工业", "Agricultural and sideline food processing"),
    ("14", "食品制造业", "Food manufacturing"),
    ("15", "酒、饮料和精制茶制造业", "Liquor, beverages and refined tea"),
    ("16", "烟草制品业", "Tobacco products"),
    ("17", "纺织业", "Textiles"),
    ("18", "纺织服装、服饰业", "Textile garments and apparel"),
    ("19", "皮革、毛皮、羽毛及其制品和制鞋业", "Leather, fur, feathers and footwear"),
    ("20", "木材加工和木、竹、藤、棕、草制品业", "Wood, bamboo, rattan, palm and straw products"),
    ("21", "家具制造业", "Furniture"),
    ("22", "造纸和纸制品业", "Paper and paper products"),
    ("23", "印刷和记录媒介复制业", "Printing and reproduction of recorded media"),
    ("24", "文教、工美、体育和娱乐用品制造业", "Stationery, crafts, sports and entertainment goods"),
    ("25", "石油、煤炭及其他燃料加工业", "Petroleum, coal and other fuel processing"),
    ("26", "化学原料和化学制品制造业", "Chemical raw materials and products"),
    ("27", "医药制造业", "Pharmaceuticals"),
    ("28", "化学纤维制造业", "Chemical fibres"),
    ("29", "橡胶和塑料制品业", "Rubber and plastic products"),
    ("30", "非金属矿物制品业", "Non-metallic mineral products"),
    ("31", "黑色金属冶炼和压延加工业", "Ferrous metal smelting and rolling"),
    ("32", "有色金属冶炼和压延加工业", "Non-ferrous metal smelting and rolling"),
    ("33", "金属制品业", "Metal products"),
    ("34", "通用设备制造业", "General-purpose equipment"),
    ("35", "专用设备制造业", "Special-purpose equipment"),
    ("36", "汽车制造业", "Automobiles"),
    ("37", "铁路、船舶、航空航天和其他运输设备制造业", "Railway, ship, aerospace and other transport equipment"),
    ("38", "电气机械和器材制造业", "Electrical machinery and equipment"),
    ("39", "计算机、通信和其他电子设备制造业", "Computers, communication and other electronic equipment"),
    ("40", "仪器仪表制造业", "Instruments and meters"),
    ("41", "其他制造业", "Other manufacturing"),
    ("42", "废弃资源综合利用业", "Comprehensive use of waste resources"),
    ("43", "金属制品、机械和设备修理业", "Repair of metal products, machinery and equipment"),
]

KEY_INDUSTRIES = [
    ("smart-door-locks", "智能门(锁)", "Smart doors (locks)"),
    ("optoelectronics", "光电", "Optoelectronics"),
    ("nev-and-parts", "新能源汽车及配件", "New-energy vehicles and parts"),
    ("power-garden-tools", "电动(园林)工具", "Power (garden) tools"),
    ("magnetic-graphene", "磁性和石墨烯材料", "Magnetic and graphene materials"),
    ("biomedicine", "生物医药", "Biomedicine"),
    ("smart-home", "智能家居", "Smart home"),
    ("vacuum-flasks", "保温杯(壶)", "Vacuum cups and flasks"),
]


def load(apps, schema_editor):
    Region = apps.get_model("companies", "Region")
    Industry = apps.get_model("companies", "Industry")
    KeyIndustry = apps.get_model("companies", "KeyIndustry")
    for order, (code, zh, en, kind) in enumerate(REGIONS, start=1):
        Region.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "kind": kind, "sort_order": order}
        )
    for code, zh, en in INDUSTRIES:
        Industry.objects.update_or_create(code=code, defaults={"name_zh": zh, "name_en": en})
    for code, zh, en in KEY_INDUSTRIES:
        KeyIndustry.objects.update_or_create(
            code=code, defaults={"name_zh": zh, "name_en": en, "year": 2019}
        )


def unload(apps, schema_editor):
    apps.get_model("companies", "KeyIndustry").objects.filter(
        code__in=[c for c, *_ in KEY_INDUSTRIES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("companies", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
