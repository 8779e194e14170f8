"""Benchmark: ``catalog validate`` and friends on a large standard workbook, against calamine.

Run ``python bench/bench_validate.py --leaves 100000``. The script

1. generates a deterministic synthetic catalog (``random.Random(seed)``) of N leaf items with every
   element filled, valid codes and about 1% deliberate errors, and writes it as the standard
   workbook, cached in ``bench/.cache/`` by N, seed and generator version;
2. runs each measured step in a fresh subprocess and reads that child's wall time, CPU time and
   peak RSS (``os.wait4``, and the summed RSS of its worker processes sampled from /proc), so one
   step's memory never hides another's; a step with a reference (``calamine-read`` for the
   standard workbook, ``calamine-flat`` for the flat one) runs between two runs of it, and its
   ratio is to their mean; ``--rounds R`` runs the whole schedule R times;
3. prints a table (seconds, leaves/s, peak RSS, ratio to the calamine floor), every round's ratio
   with min / median / max, and the targets (ratios, judged on the median).

Steps are a list of :class:`BenchStep` (name + command); later benchmarks add theirs to ``STEPS``.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from catalog_cli.checks.codes import make_uscc  # noqa: E402
from catalog_cli.model import Catalog, Fee, Leaf, MainItem, Material, Situation, Step, TimeLimit  # noqa: E402

GENERATOR_VERSION = 3  # bump when the generated data changes, so cached workbooks are rebuilt
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
DEFAULT_LEAVES = 100_000
DEFAULT_SEED = 20240101
ERROR_RATE = 0.01

TARGET_PEAK_MB = 1024  # catalog validate, at 100k leaves
INGEST_PEAK_MB = 2048  # catalog ingest of the flat rendering

# ---------------------------------------------------------------------------------------------
# Vocabulary for the synthetic catalog
# ---------------------------------------------------------------------------------------------

PROVINCE = "34"  # 安徽省: local items, SS = province code
PROVINCE_NAME = "安徽省"
CITIES: tuple[tuple[str, str, str, str], ...] = (  # name, region code, phone area code, main road
    ("合肥市", "340100", "0551", "怀宁路"),
    ("芜湖市", "340200", "0553", "赭山路"),
    ("蚌埠市", "340300", "0552", "东海大道"),
    ("淮南市", "340400", "0554", "洞山路"),
    ("马鞍山市", "340500", "0555", "湖北路"),
    ("淮北市", "340600", "0561", "人民路"),
    ("铜陵市", "340700", "0562", "长江路"),
    ("安庆市", "340800", "0556", "菱湖南路"),
    ("黄山市", "341000", "0559", "黄山西路"),
    ("滁州市", "341100", "0550", "龙蟠大道"),
    ("阜阳市", "341200", "0558", "清河路"),
    ("宿州市", "341300", "0557", "汴河路"),
    ("六安市", "341500", "0564", "皋城路"),
    ("亳州市", "341600", "0558", "芍花路"),
    ("池州市", "341700", "0566", "长江中路"),
    ("宣城市", "341800", "0563", "梅园路"),
)
DEPARTMENTS: tuple[str, ...] = (
    "市场监督管理局",
    "交通运输局",
    "住房和城乡建设局",
    "生态环境局",
    "卫生健康委员会",
    "教育局",
    "公安局",
    "民政局",
    "人力资源和社会保障局",
    "自然资源和规划局",
    "农业农村局",
    "水利局",
    "文化和旅游局",
    "应急管理局",
    "商务局",
    "林业局",
    "城市管理局",
    "医疗保障局",
    "退役军人事务局",
    "司法局",
    "发展和改革委员会",
    "经济和信息化局",
    "数据资源管理局",
    "体育局",
)
# item type → (weight, name templates); {s} is a subject, {v} an offence
ITEM_TYPES: dict[str, tuple[int, tuple[str, ...]]] = {
    "01": (30, ("{s}许可", "{s}许可证核发", "{s}审批", "{s}资质认定", "{s}备案审核")),
    "02": (
        20,
        ("对未取得许可从事{s}活动的行政处罚", "对{v}的行政处罚", "对违反{s}管理规定行为的处罚"),
    ),
    "03": (5, ("对{v}相关物品的查封、扣押", "对{s}违法场所的查封")),
    "04": (3, ("{s}相关费用征收", "{s}补偿费征收")),
    "05": (4, ("{s}补助金给付", "{s}困难群众救助金发放")),
    "06": (8, ("对{s}的行政检查", "{s}监督检查")),
    "07": (8, ("{s}资格确认", "{s}登记确认", "{s}证明核定")),
    "08": (2, ("对{s}先进单位和个人的奖励",)),
    "09": (1, ("{s}权属争议裁决",)),
    "10": (4, ("{s}年度报告公示", "{s}信息变更核准")),
    "11": (3, ("{s}备案",)),
    "20": (12, ("{s}信息查询", "{s}咨询服务", "{s}证明开具", "{s}政策咨询与办理指导")),
}
SUBJECTS: tuple[str, ...] = (
    "食品经营",
    "药品零售企业经营",
    "建筑施工企业资质",
    "道路旅客运输经营",
    "危险化学品经营",
    "医疗机构执业",
    "民办学校办学",
    "出版物零售",
    "城镇污水排入排水管网",
    "特种设备使用登记",
    "户外广告设施设置",
    "燃气经营",
    "林木采伐",
    "取水",
    "娱乐场所经营",
    "人力资源服务",
    "劳务派遣经营",
    "旅行社设立",
    "养老机构设立",
    "公共场所卫生",
    "放射诊疗",
    "建设工程规划",
    "建筑工程施工",
    "农药经营",
    "兽药经营",
    "种子生产经营",
    "动物防疫条件",
    "水土保持方案",
    "排污",
    "城市建筑垃圾处置",
    "市政设施占用",
    "临时占用城市道路",
    "大型群众性活动安全",
    "烟花爆竹经营",
    "成品油零售经营",
    "二手车交易市场",
    "社会团体成立登记",
    "民办非企业单位登记",
    "律师执业",
    "基层法律服务工作者执业",
    "职业技能等级",
    "社会保险登记",
    "失业保险金申领",
    "城乡居民基本养老保险",
    "医疗保障定点机构",
    "退役士兵安置",
    "优抚对象抚恤",
    "体育经营活动",
    "高危险性体育项目经营",
    "文物保护工程",
    "网络文化经营",
    "营业性演出",
    "游泳场所经营",
    "粮食收购",
    "生猪定点屠宰",
    "渔业捕捞",
    "植物检疫",
    "固定资产投资项目节能审查",
    "企业投资项目核准",
)
OFFENCES: tuple[str, ...] = (
    "未按规定公示信息",
    "超范围经营",
    "伪造、变造许可证件",
    "拒绝接受监督检查",
    "未按规定建立台账",
    "使用不合格设备",
    "擅自改变用途",
    "未履行安全生产主体责任",
    "违规排放污染物",
    "虚报冒领补助资金",
)
VARIANTS: tuple[str, ...] = (
    "新办",
    "变更",
    "延续",
    "注销",
    "补证",
    "首次申请",
    "变更法定代表人",
    "变更经营场所",
    "增加项目",
    "换证",
)
LAWS: tuple[str, ...] = (
    "中华人民共和国行政许可法",
    "中华人民共和国食品安全法",
    "中华人民共和国药品管理法",
    "中华人民共和国建筑法",
    "中华人民共和国道路运输条例",
    "危险化学品安全管理条例",
    "医疗机构管理条例",
    "中华人民共和国民办教育促进法",
    "出版管理条例",
    "城镇排水与污水处理条例",
    "中华人民共和国特种设备安全法",
    "城镇燃气管理条例",
    "中华人民共和国森林法",
    "中华人民共和国水法",
    "娱乐场所管理条例",
    "人力资源市场暂行条例",
    "中华人民共和国劳动合同法",
    "旅行社条例",
    "中华人民共和国老年人权益保障法",
    "公共场所卫生管理条例",
    "中华人民共和国城乡规划法",
    "农药管理条例",
    "兽药管理条例",
    "中华人民共和国种子法",
    "中华人民共和国动物防疫法",
    "中华人民共和国水土保持法",
    "中华人民共和国环境保护法",
    "中华人民共和国行政处罚法",
    "中华人民共和国行政强制法",
    "社会团体登记管理条例",
    "中华人民共和国律师法",
    "中华人民共和国社会保险法",
    "退役士兵安置条例",
    "中华人民共和国体育法",
    "中华人民共和国文物保护法",
    "营业性演出管理条例",
    "粮食流通管理条例",
)
PHRASES: tuple[str, ...] = (
    "申请人应当具有与其经营活动相适应的场所",
    "具备相应的专业技术人员和管理制度",
    "符合国家和本省规定的技术标准",
    "依法取得营业执照或者其他主体资格证明",
    "有健全的质量安全管理制度",
    "配备必要的设施设备",
    "法律法规规定的其他条件",
    "有符合规定的安全生产条件",
    "申请材料齐全、符合法定形式",
    "行政机关应当自受理申请之日起作出决定",
    "不能在规定期限内作出决定的经本行政机关负责人批准可以延长",
    "并应当将延长期限的理由告知申请人",
    "对符合条件的予以批准并颁发相应证件",
    "对不符合条件的书面告知理由",
    "县级以上地方人民政府有关部门按照职责分工负责监督管理工作",
    "实行统一管理分级负责",
    "从事相关活动应当遵守法律法规和国家标准",
    "保障公众身体健康和生命安全",
    "维护社会公共利益和公共安全",
    "经营者应当建立进货查验记录制度",
    "如实记录产品名称、规格、数量和供货者名称",
    "主要负责人具备相应的安全管理能力",
    "有与所从事活动相适应的专业人员",
    "选址符合城乡规划和相关规定",
    "环境影响评价文件已经依法批准",
    "场所面积和布局符合卫生要求",
    "有完善的应急预案和处置措施",
    "近三年内无重大违法违规记录",
    "法定代表人或者主要负责人无不良信用记录",
    "申请人对申请材料的真实性负责",
    "依法需要听证的应当组织听证",
    "现场核查符合要求的予以受理",
    "审查过程中需要补正材料的一次性告知",
    "由窗口工作人员当场核对原件",
)
MATERIALS: tuple[str, ...] = (
    "申请表",
    "营业执照",
    "法定代表人身份证明",
    "经办人身份证件",
    "授权委托书",
    "场所使用证明",
    "平面布局图",
    "设备设施清单",
    "专业技术人员资格证书",
    "管理制度文本",
    "安全评价报告",
    "环境影响评价批复",
    "检验检测报告",
    "原许可证件",
    "变更事项证明文件",
    "章程",
    "验资证明",
    "房屋租赁合同",
    "消防安全检查合格证明",
    "建设工程规划许可证",
    "施工图设计文件审查合格书",
    "户口簿",
    "居民身份证",
    "结婚证",
    "退役证件",
    "劳动合同",
    "社会保险缴费证明",
    "医疗机构执业许可证",
    "卫生许可证",
    "健康证明",
    "承诺书",
    "信用承诺书",
    "项目可行性研究报告",
    "土地使用权证明",
    "应急预案",
    "培训记录",
    "产品标签样张",
    "委托合同",
    "注销申请书",
)
STEP_NAMES: tuple[tuple[str, str, str], ...] = (  # name, post, result
    ("受理", "综合窗口受理人员", "受理通知书或不予受理通知书"),
    ("审查", "业务科室审核人员", "审查意见"),
    ("决定", "分管负责人", "准予许可决定书或不予许可决定书"),
)
SITUATION_NAMES: tuple[str, ...] = (
    "本人办理",
    "委托代理人办理",
    "首次申请",
    "补领",
    "法人单位申请",
    "个体工商户申请",
)
RESULTS: tuple[tuple[str, str], ...] = (
    ("许可证", "证照"),
    ("批准文件", "批文"),
    ("登记证书", "证照"),
    ("办理结果告知书", "其他"),
    ("决定书", "批文"),
)
CORPUS_PHRASES = 24_000  # phrases in the text corpus (≈ 400k characters)
PUNCT = "，。；、"


# ---------------------------------------------------------------------------------------------
# Generator
# ---------------------------------------------------------------------------------------------


@dataclass(slots=True)
class Agency:
    """One implementing agency: name, USCC, city and contact data."""

    name: str
    uscc: str
    city: str
    area_code: str
    road: str
    department: str
    superior: str


@dataclass
class Generated:
    """A generated catalog with the deliberate errors it contains."""

    catalog: Catalog
    errors: Counter = field(default_factory=Counter)
    broken: set[int] = field(default_factory=set)  # id() of leaves that carry a deliberate error


class TextSource:
    """Realistic Chinese text of a given length, cut from a deterministic phrase corpus."""

    def __init__(self, rng: random.Random) -> None:
        parts = []
        for _ in range(CORPUS_PHRASES):
            parts.append(rng.choice(PHRASES))
            parts.append(rng.choice("，，，；。"))
        self.corpus = "".join(parts)
        self.rng = rng

    def text(self, length: int) -> str:
        """About ``length`` characters, starting on a phrase, ending with 。."""
        start = self.rng.randrange(len(self.corpus) - length - 40)
        while self.corpus[start] not in PUNCT:
            start += 1
        piece = self.corpus[start + 1 : start + length]
        cut = max(piece.rfind(p) for p in PUNCT)
        return (piece[:cut] if cut >= length - 20 else piece.rstrip(PUNCT)) + "。"

    def numbered(self, clauses: int, length: int) -> str:
        """A numbered list in one cell: "1.……；2.……。"."""
        each = max(length // clauses, 12)
        return "；".join(f"{i}.{self.text(each)[:-1]}" for i in range(1, clauses + 1)) + "。"


def make_agencies(rng: random.Random) -> list[Agency]:
    """One agency per city and department (16 × 24 = 384), each with a distinct valid USCC."""
    agencies: list[Agency] = []
    seen: set[str] = set()
    for city, region, area, road in CITIES:
        for dept in DEPARTMENTS:
            while True:
                org8 = "".join(rng.choice("0123456789") for _ in range(8))
                uscc = make_uscc("11", region, org8)
                if uscc not in seen:
                    break
            seen.add(uscc)
            agencies.append(Agency(city + dept, uscc, city, area, road, dept, PROVINCE_NAME + dept))
    return agencies


class CodeAllocator:
    """Main-item sequence numbers (MMM) per item type and department.

    A department with more than 999 main items of one type spills into DD + 24, DD + 48, …
    """

    def __init__(self) -> None:
        self.next: Counter = Counter()

    def main_prefix(self, item_type: str, dept_index: int) -> str:
        """The first 9 characters ``SS TT DD MMM`` of a new main item's basic code."""
        n = self.next[(item_type, dept_index)]
        self.next[(item_type, dept_index)] += 1
        bucket, seq = divmod(n, 999)
        dd = dept_index + 1 + bucket * len(DEPARTMENTS)
        if dd > 99:
            raise ValueError("too many main items for one item type and department")
        return f"{PROVINCE}{item_type}{dd:02d}{seq + 1:03d}"


def clamp_name(name: str, rng: random.Random, city: str) -> str:
    """Names of 10–30 characters: short ones get the city in front, long ones are cut."""
    if len(name) < 10:
        name = city + name
    if len(name) < 10:
        name = name + rng.choice(("办理", "事项办理", "申请办理"))
    return name[:30]


def short_name(name: str) -> str:
    """The start of an item name, without its （variant） suffix, for derived names."""
    return name.split("（", 1)[0][:14]


def time_limit(value: int, unit: str) -> TimeLimit:
    """A canonical time limit with the text the workbook shows."""
    if unit == "即办":
        return TimeLimit(0, "即办", "即办")
    return TimeLimit(value, unit, f"{value}个{unit}")


def make_materials(rng: random.Random, text: TextSource, leaf_name: str) -> list[Material]:
    """Three materials with distinct names."""
    names = rng.sample(MATERIALS, 3)
    names[0] = short_name(leaf_name) + "申请表" if names[0] == "申请表" else names[0]
    out = []
    for seq, name in enumerate(names, start=1):
        channel = rng.choice(("申请人自备", "申请人自备", "政府部门核发", "中介机构出具"))
        out.append(
            Material(
                seq=seq,
                name=name,
                material_type=rng.choice(("原件", "复印件", "原件或复印件", "原件和复印件")),
                material_form=rng.choice(("纸质", "电子", "纸质或电子")),
                copies=str(rng.choice((1, 1, 1, 2))),
                necessity=rng.choice(("必要", "必要", "必要", "非必要", "容缺后补")),
                source_channel=channel,
                blank_form=f"{name}（空白表格）.docx",
                sample_form=f"{name}（示例样表）.pdf",
                note=text.text(rng.randint(30, 60)),
            )
        )
    return out


def make_steps(rng: random.Random, text: TextSource, promised: TimeLimit) -> list[Step]:
    """受理 → 审查 → 决定; step limits add up to the promised limit."""
    if promised.unit == "即办":
        limits = [time_limit(0, "即办")] * 3
    else:
        days = int(promised.value or 0)
        review = days // 2
        limits = [
            time_limit(0, "即办"),
            time_limit(review, promised.unit) if review else time_limit(0, "即办"),
            time_limit(days - review, promised.unit),
        ]
    return [
        Step(
            seq=i,
            name=name,
            post=post,
            standard=text.text(rng.randint(50, 90)),
            result=result,
            time_limit=limit,
        )
        for i, ((name, post, result), limit) in enumerate(
            zip(STEP_NAMES, limits, strict=True), start=1
        )
    ]


def make_situations(
    rng: random.Random, text: TextSource, materials: list[Material], promised: TimeLimit
) -> list[Situation]:
    """One or two situations, each needing a subset of the leaf's materials."""
    names = [m.name for m in materials if m.name]
    out = []
    for name in rng.sample(SITUATION_NAMES, rng.randint(1, 2)):
        chosen = [n for n in names if rng.random() < 0.7] or names[:1]
        limit = None
        if promised.unit == "工作日" and (promised.value or 0) > 2 and rng.random() < 0.3:
            limit = time_limit(rng.randint(1, int(promised.value or 1)), "工作日")
        out.append(
            Situation(
                name=name,
                description=text.text(rng.randint(30, 60)),
                materials=chosen,
                promised_limit=limit,
            )
        )
    return out


def make_limits(rng: random.Random) -> tuple[str, TimeLimit, TimeLimit]:
    """(case type, legal limit, promised limit).

    即办件 ⇔ promised 即办; promised ≤ legal in the same unit.
    """
    unit = "工作日" if rng.random() < 0.9 else "自然日"
    legal_days = rng.choice((5, 10, 15, 20, 20, 20, 30, 45, 60))
    legal = time_limit(legal_days, unit)
    if rng.random() < 0.2:
        return "1", legal, time_limit(0, "即办")
    return "2", legal, time_limit(rng.randint(max(1, legal_days // 4), legal_days), unit)


def make_leaf(
    rng: random.Random, text: TextSource, main: MainItem, basic_code: str, name: str, agency: Agency
) -> Leaf:
    """One leaf with all 36 elements filled and consistent."""
    case_type, legal, promised = make_limits(rng)
    online = rng.random() < 0.95
    depth = rng.choice(("1", "2", "3", "3", "4", "4")) if online else None
    visits = 0 if depth == "4" else rng.choice((0, 1, 1, 1, 2))
    fee_charged = rng.random() < 0.15
    result_name, result_type = rng.choice(RESULTS)
    power_source = (
        None if main.item_type == "20" else rng.choice(("1", "1", "1", "1", "2", "3", "5"))
    )
    materials = make_materials(rng, text, name)
    fees: list[Fee] = []
    if fee_charged:
        fees = [
            Fee(
                item=f"{short_name(name)}费",
                standard=f"每件{rng.choice((10, 20, 50, 100, 200))}元",
                basis=text.text(rng.randint(40, 80)),
                reducible=rng.random() < 0.5,
            )
        ]
    road_no = rng.randint(1, 999)
    return Leaf(
        impl_code=agency.uscc + "3" + basic_code,
        basic_code=basic_code,
        main_code=main.basic_code,
        handling_code=basic_code + "01",
        name=name,
        item_type=main.item_type,
        legal_basis=main.legal_basis,
        exercise_level=list(main.exercise_level),
        power_source=power_source,
        agency=agency.name,
        agency_code=agency.uscc,
        agency_nature="3" if power_source == "5" else rng.choice(("1", "1", "1", "2")),
        entrusting_dept=agency.superior,
        co_agencies=agency.city + rng.choice(DEPARTMENTS),
        service_object=rng.choice((["1"], ["2"], ["1", "2"], ["2", "3", "4"])),
        case_type=case_type,
        conditions=text.numbered(rng.randint(3, 5), rng.randint(200, 240)),
        handling_form=rng.choice((["1", "2"], ["1", "2", "3"], ["1", "2", "3", "4"]))
        if online
        else ["1"],
        legal_limit=legal,
        legal_limit_note=text.text(rng.randint(30, 60)),
        promised_limit=promised,
        promised_limit_note=text.text(rng.randint(30, 60)),
        visits=visits,
        onsite_reason=text.text(rng.randint(20, 40)) if visits else None,
        fee_charged=fee_charged,
        fee_standard=text.text(rng.randint(60, 100)) if fee_charged else None,
        result_name=short_name(name) + result_name,
        result_type=result_type,
        result_sample=f"{short_name(name)}{result_name}（样本）.pdf",
        special_procedures=rng.choice(
            ("无", "专家评审，时限20个工作日", "现场勘验，时限5个工作日", "听证，时限20个工作日")
        ),
        intermediary=rng.choice(("无", "无", "技术评估报告编制", "检验检测服务")),
        quantity_limit=rng.choice(("无数量限制", "无数量限制", "按规划布局控制总量")),
        address=(
            f"{agency.city}{agency.road}{road_no}号{agency.city}政务服务中心"
            f"{rng.randint(1, 5)}楼{rng.randint(1, 60)}号综合受理窗口"
        ),
        office_hours="工作日上午9:00-12:00，下午13:30-17:00（法定节假日除外）",
        consult=f"咨询电话：{agency.area_code}-{rng.randint(60000000, 69999999)}",
        complaint=f"监督投诉电话：{agency.area_code}-12345；{agency.city}12345政务服务便民热线",
        online=online,
        online_depth=depth,
        online_url=f"https://www.ahzwfw.gov.cn/bog-bsdt/static/workPlatform/{basic_code}.html"
        if online
        else None,
        situations=make_situations(rng, text, materials, promised),
        materials=materials,
        steps=make_steps(rng, text, promised),
        fees=fees,
    )


def make_main(
    rng: random.Random, text: TextSource, codes: CodeAllocator, agencies: list[Agency]
) -> tuple[MainItem, int]:
    """A main item without leaves, and how many leaves it should get (1–3, mean 2)."""
    types = list(ITEM_TYPES)
    item_type = rng.choices(types, weights=[ITEM_TYPES[t][0] for t in types])[0]
    dept_index = rng.randrange(len(DEPARTMENTS))
    template = rng.choice(ITEM_TYPES[item_type][1])
    name = template.format(s=rng.choice(SUBJECTS), v=rng.choice(OFFENCES))
    n_leaves = rng.choice((1, 2, 2, 3))
    prefix = codes.main_prefix(item_type, dept_index)
    laws = rng.sample(LAWS, rng.choice((1, 1, 2)))
    basis = "；".join(
        f"《{law}》第{rng.randint(2, 90)}条：{text.text(rng.randint(120, 160) // len(laws))}"
        for law in laws
    )
    main = MainItem(
        basic_code=prefix + ("000" if n_leaves == 1 else "00Y"),
        name=clamp_name(name, rng, agencies[0].city),
        item_type=item_type,
        legal_basis=basis[:200],
        exercise_level=["3"],
        department=DEPARTMENTS[dept_index],
    )
    return main, n_leaves


def fill_main(
    rng: random.Random, text: TextSource, main: MainItem, n_leaves: int, agencies: list[Agency]
) -> None:
    """Add the main item's leaves: itself when unsplit, else sub-items 001, 002, …"""
    own = [a for a in agencies if a.department == main.department]
    variants = rng.sample(VARIANTS, n_leaves)
    for i in range(n_leaves):
        agency = rng.choice(own)
        if n_leaves == 1:
            basic_code, name = main.basic_code or "", main.name or ""
        else:
            basic_code = (main.basic_code or "")[:9] + f"{i + 1:03d}"
            suffix = f"（{variants[i]}）"
            name = (main.name or "")[: 30 - len(suffix)] + suffix
        main.leaves.append(
            make_leaf(rng, text, main, basic_code, clamp_name(name, rng, agency.city), agency)
        )


def generate_catalog(n_leaves: int, seed: int) -> Generated:
    """A catalog of exactly ``n_leaves`` leaves, ~1% of them carrying one deliberate error."""
    gc.disable()  # millions of small objects, none cyclic: collection only costs time here
    try:
        return _generate(n_leaves, seed)
    finally:
        gc.enable()


def _generate(n_leaves: int, seed: int) -> Generated:
    rng = random.Random(seed)
    text = TextSource(rng)
    agencies = make_agencies(rng)
    codes = CodeAllocator()
    catalog = Catalog(name=f"基准测试实施清单（{n_leaves}项，种子{seed}）")
    count = 0
    while count < n_leaves:
        main, k = make_main(rng, text, codes, agencies)
        k = min(k, n_leaves - count)
        if k == 1 and (main.basic_code or "").endswith("00Y"):
            main.basic_code = (main.basic_code or "")[:9] + "000"
        fill_main(rng, text, main, k, agencies)
        catalog.main_items.append(main)
        count += k
    generated = Generated(catalog)
    inject_errors(rng, generated)
    return generated


# ---------------------------------------------------------------------------------------------
# Deliberate errors
# ---------------------------------------------------------------------------------------------


def _bad_uscc(leaf: Leaf, rng: random.Random, prev: Leaf) -> None:
    code = leaf.agency_code or ""
    leaf.agency_code = code[:17] + ("0" if code[17] != "0" else "1")


def _promised_over_legal(leaf: Leaf, rng: random.Random, prev: Leaf) -> None:
    legal = leaf.legal_limit or time_limit(20, "工作日")
    leaf.case_type = "2"
    leaf.promised_limit = time_limit(int(legal.value or 0) + 10, legal.unit or "工作日")


def _missing_onsite_reason(leaf: Leaf, rng: random.Random, prev: Leaf) -> None:
    leaf.visits, leaf.onsite_reason = 2, None
    if leaf.online_depth == "4":
        leaf.online_depth = "3"


def _fee_without_standard(leaf: Leaf, rng: random.Random, prev: Leaf) -> None:
    leaf.fee_charged, leaf.fee_standard, leaf.fees = True, None, []


def _instant_with_days(leaf: Leaf, rng: random.Random, prev: Leaf) -> None:
    leaf.case_type = "1"
    leaf.promised_limit = time_limit(5, "工作日")
    leaf.legal_limit = time_limit(20, "工作日")


def _full_online_with_visits(leaf: Leaf, rng: random.Random, prev: Leaf) -> None:
    leaf.online, leaf.online_depth, leaf.visits = True, "4", 1
    leaf.onsite_reason = leaf.onsite_reason or "需现场核验原件。"


def _type_mismatch(leaf: Leaf, rng: random.Random, prev: Leaf) -> None:
    leaf.item_type = "02" if leaf.item_type != "02" else "01"


def _unknown_situation_material(leaf: Leaf, rng: random.Random, prev: Leaf) -> None:
    if leaf.situations:
        leaf.situations[0].materials.append("不存在的材料名称")


def _consult_without_phone(leaf: Leaf, rng: random.Random, prev: Leaf) -> None:
    leaf.consult = "请到窗口现场咨询"


def _missing_address(leaf: Leaf, rng: random.Random, prev: Leaf) -> None:
    leaf.address = None


def _duplicate_impl_code(leaf: Leaf, rng: random.Random, prev: Leaf) -> None:
    leaf.impl_code = prev.impl_code


def _bad_item_type_code(leaf: Leaf, rng: random.Random, prev: Leaf) -> None:
    leaf.item_type = "行政审批"


MUTATIONS: dict[str, Callable[[Leaf, random.Random, Leaf], None]] = {
    "USCC check character": _bad_uscc,
    "promised > legal": _promised_over_legal,
    "visits > 0 without onsite reason": _missing_onsite_reason,
    "fee charged without standard/fees": _fee_without_standard,
    "即办件 with a promised limit in days": _instant_with_days,
    "全程网办 with visits > 0": _full_online_with_visits,
    "item type differs from basic code": _type_mismatch,
    "situation material not in the leaf": _unknown_situation_material,
    "consult without phone number": _consult_without_phone,
    "missing address": _missing_address,
    "duplicate impl code": _duplicate_impl_code,
    "item type not in the code table": _bad_item_type_code,
}


def inject_errors(rng: random.Random, generated: Generated) -> None:
    """Give about ``ERROR_RATE`` of the leaves one deliberate error each."""
    names = list(MUTATIONS)
    prev: Leaf | None = None
    for leaf in generated.catalog.iter_leaves():
        if prev is not None and rng.random() < ERROR_RATE and id(prev) not in generated.broken:
            kind = rng.choice(names)
            MUTATIONS[kind](leaf, rng, prev)
            generated.errors[kind] += 1
            generated.broken.add(id(leaf))
        prev = leaf


# ---------------------------------------------------------------------------------------------
# Self-check of the generator (no CLI needed)
# ---------------------------------------------------------------------------------------------


def check_generated(generated: Generated, n_leaves: int) -> None:
    """Assert the invariants of the generated catalog on every leaf without a deliberate error."""
    from catalog_cli.checks.codes import (
        NATIONAL_BASIC,
        basic_code_type,
        is_handling_code_of,
        uscc_check_ok,
    )

    catalog = generated.catalog
    assert catalog.count_leaves() == n_leaves
    impl_codes: set[str] = set()
    for main in catalog.main_items:
        code = main.basic_code or ""
        assert NATIONAL_BASIC.match(code) and basic_code_type(code) == main.item_type
        assert code.endswith("00Y") == (len(main.leaves) > 1), code
        for leaf in main.leaves:
            if id(leaf) in generated.broken:
                continue
            _check_leaf(leaf, main, impl_codes, uscc_check_ok, is_handling_code_of)
    assert len({m.basic_code for m in catalog.main_items}) == len(catalog.main_items)
    broken = len(generated.broken)
    assert 0.004 * n_leaves <= broken <= 0.02 * n_leaves + 3, broken


def _check_leaf(
    leaf: Leaf, main: MainItem, impl_codes: set[str], uscc_ok: Callable, handling_ok: Callable
) -> None:
    code, main_code = leaf.basic_code or "", main.basic_code or ""
    assert code[:9] == main_code[:9] and (code == main_code or code[9:] != "00Y")
    assert leaf.main_code == main_code and handling_ok(leaf.handling_code, code)
    assert uscc_ok(leaf.agency_code) and leaf.impl_code == f"{leaf.agency_code}3{code}"
    assert leaf.impl_code not in impl_codes
    impl_codes.add(leaf.impl_code or "")
    assert 10 <= len(leaf.name or "") <= 30, leaf.name
    legal, promised = leaf.legal_limit, leaf.promised_limit
    assert legal and promised
    assert (leaf.case_type == "1") == (promised.unit == "即办")
    if promised.unit == legal.unit:
        assert (promised.value or 0) <= (legal.value or 0)
    assert not leaf.visits or leaf.onsite_reason
    assert not leaf.fee_charged or (leaf.fee_standard and leaf.fees)
    assert leaf.online_depth != "4" or leaf.visits == 0
    assert (leaf.power_source is None) == (leaf.item_type == "20")
    names = {m.name for m in leaf.materials}
    assert len(leaf.materials) == 3 and len(names) == 3 and len(leaf.steps) == 3
    assert 1 <= len(leaf.situations) <= 2 and all(
        set(s.materials) <= names for s in leaf.situations
    )
    assert 120 <= len(leaf.conditions or "") <= 280 and 80 <= len(leaf.legal_basis or "") <= 200
    assert "-" in (leaf.consult or "") and (leaf.online_url or "https://").startswith("https://")


# ---------------------------------------------------------------------------------------------
# Workbook cache
# ---------------------------------------------------------------------------------------------


def flat_workbook_path(n_leaves: int, seed: int) -> Path:
    """Where the cached flat merged-cell rendering for (N, seed) lives."""
    return CACHE_DIR / f"flat-n{n_leaves}-s{seed}-g{GENERATOR_VERSION}.xlsx"


def ensure_flat_workbook(n_leaves: int, seed: int, rebuild: bool = False) -> Path:
    """The cached flat rendering (department sheets, title row, two-row header, merged main-item and
    leaf cells, one-cell material and step lists), written by the samples' messy renderer."""
    path = flat_workbook_path(n_leaves, seed)
    if path.exists() and not rebuild:
        print(
            f"使用缓存平铺表 / cached flat workbook: {path.relative_to(REPO)} "
            f"({path.stat().st_size / 2**20:.1f} MB)"
        )
        return path
    sys.path.insert(0, str(REPO / "samples"))
    from make_messy import write_flat_workbook

    t0 = time.perf_counter()
    generated = generate_catalog(n_leaves, seed)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    write_flat_workbook(generated.catalog, path)
    print(
        f"写平铺表 / wrote flat workbook in {time.perf_counter() - t0:.1f} s "
        f"({path.stat().st_size / 2**20:.1f} MB)"
    )
    return path


def workbook_path(n_leaves: int, seed: int) -> Path:
    """Where the cached workbook for (N, seed) lives."""
    return CACHE_DIR / f"catalog-n{n_leaves}-s{seed}-g{GENERATOR_VERSION}.xlsx"


def ensure_workbook(n_leaves: int, seed: int, rebuild: bool = False) -> Path:
    """The cached workbook, generating and writing it first when missing."""
    path = workbook_path(n_leaves, seed)
    if path.exists() and not rebuild:
        print(
            f"使用缓存工作簿 / cached workbook: {path.relative_to(REPO)} "
            f"({path.stat().st_size / 2**20:.1f} MB)"
        )
        return path
    from catalog_cli.write.workbook import write_workbook

    t0 = time.perf_counter()
    generated = generate_catalog(n_leaves, seed)
    t1 = time.perf_counter()
    # without the link columns, as other systems write a standard workbook: children found by
    # code (the tables path does not follow link columns yet; docs/standard-workbook.md)
    write_workbook(generated.catalog, path, links=False)
    t2 = time.perf_counter()
    print(
        f"生成 / generated {n_leaves} leaves in {t1 - t0:.1f} s; "
        f"写工作簿 / wrote workbook in {t2 - t1:.1f} s ({path.stat().st_size / 2**20:.1f} MB)"
    )
    print(
        f"注入错误 / deliberate errors: {sum(generated.errors.values())} "
        f"({', '.join(f'{k} {v}' for k, v in sorted(generated.errors.items()))})"
    )
    return path


# ---------------------------------------------------------------------------------------------
# Measurement
# ---------------------------------------------------------------------------------------------


@dataclass
class Context:
    """What a step's command needs: the workbooks, the size, a scratch directory."""

    workbook: Path
    leaves: int
    scratch: Path
    flat_workbook: Path | None = None


@dataclass
class Result:
    """One run of a step (the best of ``--repeat`` runs) in one round."""

    step: str
    seconds: float
    cpu_seconds: float
    peak_mb: float
    returncode: int
    notes: dict[str, Any] = field(default_factory=dict)
    round: int = 1
    reference: str | None = None  # the step this run is compared with
    reference_seconds: float | None = None  # mean of the reference runs just before and after
    ratio: float | None = None  # seconds / reference_seconds


@dataclass(frozen=True)
class BenchStep:
    """A measured step: a command run in a fresh process; ``inspect`` reads its output afterwards.

    A step with a ``reference`` is run between two runs of that reference in every round, and its
    ratio is its wall time over the mean of those two (a machine that drifts shifts both alike);
    ``target_vs_ref`` is the largest ratio allowed.
    """

    name: str
    description: str
    command: Callable[[Context], list[str]]
    ok_returncodes: tuple[int, ...] = (0,)
    inspect: Callable[[Context], dict[str, Any]] | None = None
    reference: str | None = None
    target_vs_ref: float | None = None  # seconds ≤ this × the reference's seconds (100k leaves)
    target_peak_mb: int | None = None
    target_ratio: float | None = None  # notes["ratio"] (measured inside the step) ≤ this
    # what an inside ratio compares: (the ratio's name, what the target is against)
    inner: tuple[str, str] = ("writer / xlsxwriter", "xlsxwriter alone")


READ_CATALOG = """
import sys
from catalog_cli.ingest.policy import set_gc_policy
from catalog_cli.read import read_catalog
set_gc_policy()  # as the command line does
print(read_catalog([sys.argv[1]]).catalog.count_leaves())
"""

CALAMINE_READ = """
import sys
from python_calamine import CalamineWorkbook
wb = CalamineWorkbook.from_path(sys.argv[1])
rows = sum(len(wb.get_sheet_by_name(name).to_python()) for name in wb.sheet_names)
print(rows)
"""

# fastexcel (calamine into Arrow) reads every sheet whole: the standard workbook with its single
# header row (argv[2] = "0"), the flat rendering without one ("none": title and two header rows
# are read as data, like calamine's to_python). A sheet whose dtype inference fails is read with
# every column as text.
FASTEXCEL_READ = """
import sys
import fastexcel
header = None if sys.argv[2] == "none" else int(sys.argv[2])
reader = fastexcel.read_excel(sys.argv[1])
rows = 0
for name in reader.sheet_names:
    try:
        table = reader.load_sheet_by_name(name, header_row=header).to_arrow()
    except Exception:
        table = reader.load_sheet_by_name(name, header_row=header, dtypes="string").to_arrow()
    rows += table.num_rows
print(rows)
"""


def validate_summary(ctx: Context) -> dict[str, Any]:
    """Findings in the JSON report that ``catalog validate`` wrote."""
    data = json.loads((ctx.scratch / "validate.json").read_text(encoding="utf-8"))
    summary = data.get("summary", {}) if isinstance(data, dict) else {}
    findings = data.get("findings") if isinstance(data, dict) else data
    total = summary.get("total", summary.get("findings"))
    if total is None and isinstance(findings, list):
        total = len(findings)
    return {"findings": total, "summary": summary}


def probe_summary(ctx: Context) -> dict[str, Any]:
    """The writer probe's JSON line (writer vs bare xlsxwriter seconds)."""
    lines = (ctx.scratch / "write-standard.log").read_text(encoding="utf-8").strip().splitlines()
    return json.loads(lines[-1])


def infer_summary(ctx: Context) -> dict[str, Any]:
    """The inference probe's JSON line (reading with inference on vs off)."""
    lines = (ctx.scratch / "infer-flat.log").read_text(encoding="utf-8").strip().splitlines()
    return json.loads(lines[-1])


def catalog_command(*args: str) -> list[str]:
    """``python -m catalog_cli ARGS``."""
    return [sys.executable, "-m", "catalog_cli", *args]


READ = "calamine-read"
FLAT = "calamine-flat"

STEPS: list[BenchStep] = [
    BenchStep(
        READ,
        "python-calamine reads every sheet (floor)",
        lambda ctx: [sys.executable, "-c", CALAMINE_READ, str(ctx.workbook)],
    ),
    BenchStep(
        "fastexcel-read",
        "fastexcel reads every sheet into Arrow (beside calamine-read)",
        lambda ctx: [sys.executable, "-c", FASTEXCEL_READ, str(ctx.workbook), "0"],
        reference=READ,
    ),
    BenchStep(
        "validate",
        "catalog validate --format json, end to end",
        lambda ctx: catalog_command(
            "validate",
            str(ctx.workbook),
            "--format",
            "json",
            "-o",
            str(ctx.scratch / "validate.json"),
        ),
        ok_returncodes=(0, 1),  # 1 = findings with errors
        inspect=validate_summary,
        reference=READ,
        target_vs_ref=1.0,
        target_peak_mb=TARGET_PEAK_MB,
    ),
    BenchStep(
        "read-catalog",
        "the tool's reader alone (read_catalog) on the standard workbook",
        lambda ctx: [sys.executable, "-c", READ_CATALOG, str(ctx.workbook)],
        reference=READ,
    ),
    BenchStep(
        "stats",
        "catalog stats --format json, end to end",
        lambda ctx: catalog_command(
            "stats", str(ctx.workbook), "--format", "json", "-o", str(ctx.scratch / "stats.json")
        ),
        reference=READ,
        target_vs_ref=1.0,
    ),
    BenchStep(
        "reduce",
        "catalog reduce --format json (against the legal limits), end to end",
        lambda ctx: catalog_command(
            "reduce", str(ctx.workbook), "--format", "json", "-o", str(ctx.scratch / "reduce.json")
        ),
        reference=READ,
        target_vs_ref=1.0,
    ),
    BenchStep(
        "reduce-baseline",
        "catalog reduce --baseline (the same workbook as its own baseline: two catalogs read)",
        lambda ctx: catalog_command(
            "reduce",
            str(ctx.workbook),
            "--baseline",
            str(ctx.workbook),
            "--format",
            "json",
            "-o",
            str(ctx.scratch / "reduce-baseline.json"),
        ),
        reference=READ,
    ),
    BenchStep(
        FLAT,
        "python-calamine reads every sheet of the flat merged-cell rendering (floor)",
        lambda ctx: [sys.executable, "-c", CALAMINE_READ, str(ctx.flat_workbook)],
    ),
    BenchStep(
        "fastexcel-flat",
        "fastexcel reads every sheet of the flat rendering into Arrow (beside calamine-flat)",
        lambda ctx: [sys.executable, "-c", FASTEXCEL_READ, str(ctx.flat_workbook), "none"],
        reference=FLAT,
    ),
    BenchStep(
        "ingest-flat",
        "catalog ingest of the flat merged-cell rendering to the catalog JSON",
        lambda ctx: catalog_command(
            "ingest", str(ctx.flat_workbook), "-o", str(ctx.scratch / "flat.json")
        ),
        reference=FLAT,
        target_vs_ref=2.0,
        target_peak_mb=INGEST_PEAK_MB,
    ),
    BenchStep(
        "normalize-flat",
        "catalog normalize of the flat rendering to the standard workbook, end to end",
        lambda ctx: catalog_command(
            "normalize", str(ctx.flat_workbook), "-o", str(ctx.scratch / "std.xlsx")
        ),
        reference=FLAT,
    ),
    BenchStep(
        "write-standard",
        "write_workbook vs xlsxwriter alone (constant_memory) on the same rows; needs ingest-flat",
        lambda ctx: [
            sys.executable,
            str(REPO / "bench" / "write_probe.py"),
            str(ctx.scratch / "flat.json"),
            str(ctx.scratch),
        ],
        inspect=probe_summary,
        target_ratio=1.3,
    ),
    BenchStep(
        "infer-flat",
        "reading the flat rendering (six headers renamed) with column inference on vs off",
        lambda ctx: [
            sys.executable,
            str(REPO / "bench" / "infer_probe.py"),
            str(ctx.flat_workbook),
        ],
        inspect=infer_summary,
        target_ratio=1.1,
        inner=("inference on / off", "inference off (columns known by header)"),
    ),
]
BASELINE_STEP = READ
FLAT_STEPS = (
    FLAT,
    "fastexcel-flat",
    "ingest-flat",
    "normalize-flat",
    "write-standard",
    "infer-flat",
)


# A tiny go-between: Linux charges a child's ru_maxrss with the RSS of the process it was spawned
# from (the old address space at exec), so the measured command must not be a direct child of
# this process, which holds the generated catalog. The runner is small, starts the command with
# posix_spawn and reports that process's own wall time, CPU time (with its children's) and peak
# RSS. A command may read on several cores in worker processes: the runner also samples the summed
# RSS of the whole process tree every 200 ms (Linux /proc), and the larger figure is the peak.
RUNNER = """
import json, os, sys, time
result, argv = sys.argv[1], sys.argv[2:]

def descendants(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            children = [int(c) for c in f.read().split()]
    except OSError:
        return []
    return children + [d for c in children for d in descendants(c)]

def tree_rss_kib(root):
    total = 0
    for pid in [root, *descendants(root)]:
        try:
            with open(f"/proc/{pid}/status", "rb") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith(b"VmRSS:"))
        except (OSError, StopIteration):
            pass
    return total

t0 = time.perf_counter()
pid = os.posix_spawn(argv[0], argv, os.environ)
tree_peak = 0
while True:
    done, status, ru = os.wait4(pid, os.WNOHANG)
    if done:
        break
    if os.path.isdir("/proc"):
        tree_peak = max(tree_peak, tree_rss_kib(pid))
    time.sleep(0.2)
seconds = time.perf_counter() - t0
with open(result, "w") as f:
    json.dump({"seconds": seconds, "cpu": ru.ru_utime + ru.ru_stime,
               "maxrss_kib": max(ru.ru_maxrss, tree_peak),
               "returncode": os.waitstatus_to_exitcode(status)}, f)
"""


def run_measured(argv: list[str], log: Path) -> tuple[float, float, float, int]:
    """Run ``argv`` in a fresh process: that process's (wall s, CPU s, peak RSS MB, exit code)."""
    env = dict(
        os.environ,
        PYTHONPATH=os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH")))),
    )
    result = log.with_suffix(".rusage.json")
    with log.open("wb") as out:
        subprocess.run(
            [sys.executable, "-S", "-c", RUNNER, str(result), *argv],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            check=True,
        )
    data = json.loads(result.read_text(encoding="utf-8"))
    return data["seconds"], data["cpu"], data["maxrss_kib"] / 1024, data["returncode"]  # Linux: KiB


def schedule(chosen: list[BenchStep], by_name: dict[str, BenchStep]) -> list[BenchStep]:
    """One round's runs, in order: every step with a reference between two runs of it.

    ``calamine-read, validate, stats`` becomes ``calamine-read, validate, calamine-read, stats,
    calamine-read``: reference and measured steps alternate, and each measured run has a reference
    run on either side. A reference is run even when not chosen.
    """
    runs: list[BenchStep] = []
    for step in chosen:
        ref = by_name[step.reference] if step.reference else None
        if ref is None:
            if not runs or runs[-1] is not step:  # a reference that has just been run
                runs.append(step)
            continue
        if not runs or runs[-1] is not ref:
            runs.append(ref)
        runs += [step, ref]
    return runs


def run_step(step: BenchStep, ctx: Context, repeat: int) -> Result:
    """Best wall time of ``repeat`` runs, and the largest peak RSS seen."""
    runs = []
    for _ in range(repeat):
        log = ctx.scratch / f"{step.name}.log"
        seconds, cpu, peak, rc = run_measured(step.command(ctx), log)
        if rc not in step.ok_returncodes:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise SystemExit(f"步骤 {step.name} 失败 / step failed (exit {rc}):\n{tail}")
        runs.append((seconds, cpu, peak, rc))
    best = min(runs)
    result = Result(step.name, best[0], best[1], max(r[2] for r in runs), best[3])
    if step.inspect:
        result.notes = step.inspect(ctx)
    return result


def run_round(
    runs: list[BenchStep], ctx: Context, repeat: int, number: int, rounds: int
) -> list[Result]:
    """One round's runs; each measured run gets its ratio to the reference runs around it."""
    results: list[Result] = []
    for step in runs:
        print(f"运行 / running {step.name} [{number}/{rounds}]: {step.description} …", flush=True)
        result = run_step(step, ctx, repeat)
        result.round = number
        results.append(result)
    for i, step in enumerate(runs):
        if step.reference:
            around = [r.seconds for r in (results[i - 1], results[i + 1])]
            results[i].reference = step.reference
            results[i].reference_seconds = sum(around) / 2
            results[i].ratio = results[i].seconds / results[i].reference_seconds
    return results


def spread(values: list[float]) -> tuple[float, float, float]:
    """(min, median, max)."""
    return min(values), statistics.median(values), max(values)


def summarize(results: list[Result]) -> list[Result]:
    """One row per step, in order of first run: median seconds and CPU s, largest peak RSS."""
    by_step: dict[str, list[Result]] = {}
    for r in results:
        by_step.setdefault(r.step, []).append(r)
    rows = []
    for name, runs in by_step.items():
        rows.append(
            Result(
                name,
                statistics.median(r.seconds for r in runs),
                statistics.median(r.cpu_seconds for r in runs),
                max(r.peak_mb for r in runs),
                runs[-1].returncode,
                runs[-1].notes,
            )
        )
    return rows


def print_table(rows: list[Result], leaves: int, runs: dict[str, int]) -> None:
    """Step, seconds, CPU s, leaves/s, peak RSS MB, ratio to the baseline step's seconds."""
    base = next((r.seconds for r in rows if r.step == BASELINE_STEP), None)
    if max(runs.values(), default=1) > 1:
        print("\n(秒和 CPU 秒取中位数、峰值取最大 / median seconds and CPU s, largest peak RSS)")
    head = f"{'seconds':>10}{'CPU s':>10}{'leaves/s':>12}{'peak RSS MB':>14}{'× read':>9}"
    print(f"\n{'step':<16}{head}{'runs':>6}")
    for r in rows:
        ratio = f"{r.seconds / base:.2f}" if base else "-"
        print(
            f"{r.step:<16}{r.seconds:>10.2f}{r.cpu_seconds:>10.2f}{leaves / r.seconds:>12,.0f}"
            f"{r.peak_mb:>14.0f}{ratio:>9}{runs[r.step]:>6}"
        )


def ratios_by_step(results: list[Result]) -> dict[str, list[float]]:
    """Each step's ratios, one per round: to its reference, or measured inside the step (probe)."""
    out: dict[str, list[float]] = {}
    for r in results:
        if r.ratio is not None:
            out.setdefault(r.step, []).append(r.ratio)
        elif "ratio" in r.notes:
            out.setdefault(r.step, []).append(float(r.notes["ratio"]))
    return out


def print_ratios(results: list[Result], steps: dict[str, BenchStep]) -> None:
    """Every round's ratio of each step, and their min / median / max."""
    ratios = ratios_by_step(results)
    if not ratios:
        return
    print("\n比值 / ratios (每轮一个 / one per round; min / median / max):")
    for name, values in ratios.items():
        ref = steps[name].reference
        what = f"{name} / {ref}" if ref else f"{name} ({steps[name].inner[0]})"
        low, mid, high = spread(values)
        each = " ".join(f"{v:.2f}" for v in values)
        print(f"  {what:<38} {each}  —  {low:.2f} / {mid:.2f} / {high:.2f}")


def print_targets(results: list[Result], steps: dict[str, BenchStep], leaves: int) -> bool:
    """Each step's targets, judged on the median ratio and the largest peak; True when all met."""
    all_met = True
    ratios = ratios_by_step(results)
    rounds = max((r.round for r in results), default=1)
    print(f"\n目标 / targets (定义于 100k 叶子 / defined at 100k leaves; this run: {leaves}):")
    for name in dict.fromkeys(r.step for r in results):
        step = steps[name]
        checks = []
        values = ratios.get(name, [])
        limit = step.target_vs_ref or step.target_ratio
        if limit and values:
            low, mid, high = spread(values)
            met = sum(v <= limit for v in values)
            versus = f"{step.reference}" if step.reference else step.inner[1]
            label = f"{name}: ≤ {limit}× {versus} — {mid:.2f}×"
            if len(values) > 1:
                label += f" (median; min {low:.2f}, max {high:.2f}; met in {met}/{len(values)})"
            if step.target_ratio and len(values) == 1 and step.name == "write-standard":
                n = next(r.notes for r in results if r.step == name)
                label += f" ({n['writer_s']} s vs {n['xlsxwriter_s']} s)"
            checks.append((label, mid <= limit))
        if step.target_peak_mb:
            peak = max(r.peak_mb for r in results if r.step == name)
            more = " (largest of the rounds)" if rounds > 1 else ""
            checks.append(
                (
                    f"{name}: peak RSS ≤ {step.target_peak_mb} MB — {peak:.0f} MB{more}",
                    peak <= step.target_peak_mb,
                )
            )
        for label, ok in checks:
            print(f"  {label}: {'达标 met' if ok else '未达标 NOT met'}")
            all_met &= ok
    return all_met


def print_notes(rows: list[Result]) -> None:
    for r in rows:
        if "findings" in r.notes:
            print(f"\n{r.step}: 发现问题 / findings = {r.notes['findings']} (exit {r.returncode})")
            summary = r.notes.get("summary") or {}
            for key in ("by_severity", "by_code"):
                if key in summary:
                    print(f"  {key}: {json.dumps(summary[key], ensure_ascii=False)}")


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="catalog validate 性能基准 / validation benchmark")
    parser.add_argument(
        "--leaves", type=int, default=DEFAULT_LEAVES, help="叶子事项数 / number of leaf items"
    )
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument(
        "--steps",
        default=",".join(s.name for s in STEPS),
        help="逗号分隔的步骤 / comma-separated steps: " + ", ".join(s.name for s in STEPS),
    )
    parser.add_argument(
        "--repeat", type=int, default=1, help="每步运行次数，取最快 / runs per step, best time kept"
    )
    parser.add_argument(
        "--rounds",
        type=int,
        default=1,
        help="整组步骤交替运行的轮数，报告每轮的比值 / rounds of all steps, every round's ratios",
    )
    parser.add_argument(
        "--rebuild", action="store_true", help="忽略缓存重新生成 / regenerate the cached workbook"
    )
    parser.add_argument(
        "--self-test",
        action="store_true",
        help="只生成模型并检查 / generate the model and assert its invariants",
    )
    parser.add_argument(
        "--results", type=Path, help="把结果写成 JSON / also write the results as JSON"
    )
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.self_test:
        t0 = time.perf_counter()
        generated = generate_catalog(args.leaves, args.seed)
        check_generated(generated, args.leaves)
        print(
            f"self-test ok: {args.leaves} leaves, {len(generated.catalog.main_items)} main items, "
            f"{sum(generated.errors.values())} deliberate errors, {time.perf_counter() - t0:.1f} s"
        )
        return 0
    by_name = {s.name: s for s in STEPS}
    unknown = [n.strip() for n in args.steps.split(",") if n.strip() and n.strip() not in by_name]
    if unknown:
        raise SystemExit(f"未知步骤 / unknown steps: {', '.join(unknown)}")
    if args.repeat < 1 or args.rounds < 1:
        raise SystemExit("--repeat and --rounds must be ≥ 1")
    chosen = [by_name[name.strip()] for name in args.steps.split(",") if name.strip()]
    runs = schedule(chosen, by_name)
    workbook = ensure_workbook(args.leaves, args.seed, args.rebuild)
    needs_flat = any(s.name in FLAT_STEPS for s in runs)
    flat = ensure_flat_workbook(args.leaves, args.seed, args.rebuild) if needs_flat else None
    results: list[Result] = []
    with tempfile.TemporaryDirectory(prefix="catalog-bench-") as scratch:
        ctx = Context(workbook, args.leaves, Path(scratch), flat)
        for number in range(1, args.rounds + 1):
            results += run_round(runs, ctx, args.repeat, number, args.rounds)
    rows = summarize(results)
    print_table(rows, args.leaves, Counter(r.step for r in results))
    print_ratios(results, by_name)
    met = print_targets(results, by_name, args.leaves)
    print_notes(rows)
    if args.results:
        args.results.write_text(
            json.dumps([r.__dict__ for r in results], ensure_ascii=False, indent=2),
            encoding="utf-8",
        )
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
