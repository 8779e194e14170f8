"""生成样例目录：江淮市（虚构）市级目录及其 2021 年版（基线），以及东湖县、西山县两个县级目录。

Deterministic generator of the sample catalogs: plain fixed data, no randomness, no clock.
Every workbook is written through the library writer (``catalog_cli.write.workbook``), so the
Excel row of each record follows model order. The documented validation errors of the county
catalogs are written to ``expected/<stem>.json``; their rows are computed from where the
generator put each error, not by running the validator.

Usage: ``python samples/make_samples.py [OUTDIR]`` (default: this folder).
"""

from __future__ import annotations

import copy
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import catalog_cli  # noqa: F401
except ImportError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from catalog_cli.checks.codes import USCC_ALPHABET, make_uscc
from catalog_cli.model import Bundle, Catalog, Fee, Leaf, MainItem, Material, Situation, Step, TimeLimit
from catalog_cli.read import read_catalog
from catalog_cli.write.workbook import write_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_messy import generate_messy  # noqa: E402  (a sibling script, not a package)

HERE = Path(__file__).resolve().parent
CITY_FILE = "市级目录.xlsx"
AREA_CODE = "0569"
OFFICE_HOURS = "周一至周五上午9:00—12:00，下午13:30—17:30（法定节假日除外）"
SHEETS = ("主项", "子项", "办理情形", "申请材料", "办理流程", "收费", "一件事")

# ---------------------------------------------------------------------------------------------
# Regions and departments
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Region:
    """A fictional administrative region of Anhui (province 34)."""

    name: str
    short: str
    code: str
    level: str
    phone: str
    hall: str
    portal: str


CITY = Region("江淮市", "江淮", "341900", "3", "821", "江淮市政务服务中心（江淮市新城区长淮大道168号）", "https://zwfw.jianghuai.gov.cn/jhs")
DONGHU = Region("东湖县", "东湖", "341921", "4", "561", "东湖县政务服务中心（东湖县城关镇湖滨路9号）", "https://zwfw.jianghuai.gov.cn/dhx")
XISHAN = Region("西山县", "西山", "341922", "4", "573", "西山县政务服务中心（西山县青峰镇人民路28号）", "https://zwfw.jianghuai.gov.cn/xsx")


@dataclass(frozen=True)
class Dept:
    """A kind of implementing agency; each region has its own instance (name + USCC)."""

    key: str
    suffix: str
    dd: str
    num: int
    window: str
    floor: str
    prefix: str = "11"
    nature: str = "1"
    power: str = "1"
    entrusted_by: str = ""
    branch: bool = False


DEPTS: dict[str, Dept] = {
    d.key: d
    for d in (
        Dept("scjg", "市场监督管理局", "34", 1101, "市场监管", "一楼A区"),
        Dept("ga", "公安局", "10", 1102, "公安", "一楼B区"),
        Dept("rs", "人力资源和社会保障局", "16", 1103, "人社", "二楼A区"),
        Dept("sbzx", "社会保险服务中心", "16", 1104, "社保", "二楼A区", prefix="12", nature="2"),
        Dept("wj", "卫生健康委员会", "28", 1105, "卫健", "二楼B区"),
        Dept("zrzy", "自然资源和规划局", "17", 1106, "自然资源", "三楼A区"),
        Dept("bdc", "不动产登记中心", "17", 1107, "不动产登记", "一楼C区", prefix="12", nature="3", power="6", entrusted_by="zrzy"),
        Dept("zj", "住房和城乡建设局", "19", 1108, "住建", "三楼B区"),
        Dept("jt", "交通运输局", "20", 1109, "交通运输", "三楼C区"),
        Dept("mz", "民政局", "12", 1110, "民政", "二楼C区"),
        Dept("jy", "教育局", "08", 1111, "教育", "四楼A区"),
        Dept("sthj", "生态环境局", "18", 1112, "生态环境", "四楼B区", branch=True),
        Dept("yb", "医疗保障局", "45", 1113, "医保", "二楼D区"),
        Dept("gjj", "住房公积金管理中心", "19", 1114, "公积金", "一楼D区", prefix="12", nature="2"),
        Dept("nync", "农业农村局", "23", 1115, "农业农村", "四楼C区"),
        Dept("ly", "林业局", "49", 1116, "林业", "四楼D区"),
    )
}


def agency_name(dept: Dept, region: Region) -> str:
    """江淮市市场监督管理局, 东湖县市场监督管理局, or a branch: 江淮市生态环境局东湖分局."""
    if dept.branch and region != CITY:
        return f"{CITY.name}{dept.suffix}{region.short}分局"
    return f"{region.name}{dept.suffix}"


def agency_uscc(dept: Dept, region: Region) -> str:
    """A valid USCC: 11 机关 / 12 事业单位, the region code, an organization code built from the dept."""
    return make_uscc(dept.prefix, region.code, f"0{region.code[3:]}{dept.num:04d}")


def impl_code(uscc: str, level: str, code: str) -> str:
    """实施编码 = USCC (18) + level character + basic code (or handling code)."""
    return f"{uscc}{level}{code}"


# ---------------------------------------------------------------------------------------------
# Item specifications (the data)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LeafSpec:
    """One leaf: a sub-item suffix ("001"…, "" for the main's only leaf), a handling suffix, overrides."""

    name: str
    sub: str = ""
    handling: str = ""
    fields: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ItemSpec:
    """One main item and its leaves; ``common`` holds leaf fields shared by all its leaves."""

    dept: str
    tt: str
    mmm: str
    name: str
    basis: str
    leaves: tuple[LeafSpec, ...]
    levels: tuple[str, ...]
    ss: str
    common: dict[str, Any]


LEAF_DEFAULTS: dict[str, Any] = {
    "legal": "20个工作日",
    "promise": "10个工作日",
    "materials": (),
    "situations": None,
    "result": None,
    "objects": ("1",),
    "depth": "3",
    "visits": None,
    "onsite": None,
    "fees": (),
    "conditions": None,
    "agency": None,
    "power": None,
    "special": None,
    "intermediary": None,
    "co": None,
    "legal_note": None,
    "promise_note": None,
    "forms": None,
    "basis": None,
    "county": True,
}


def item(dept: str, tt: str, mmm: str, name: str, basis: str, *leaves: LeafSpec, levels: tuple[str, ...] = ("3", "4"), ss: str = "00", **common: Any) -> ItemSpec:
    """A main item; without leaves it is its own single leaf."""
    unknown = set(common) - set(LEAF_DEFAULTS)
    if unknown:
        raise ValueError(f"{name}: unknown fields {sorted(unknown)}")
    return ItemSpec(dept, tt, mmm, name, basis, leaves or (LeafSpec(name),), levels, ss, common)


def leaf(name: str, sub: str = "", handling: str = "", **fields: Any) -> LeafSpec:
    """A leaf of a main item, with field overrides."""
    unknown = set(fields) - set(LEAF_DEFAULTS)
    if unknown:
        raise ValueError(f"{name}: unknown fields {sorted(unknown)}")
    return LeafSpec(name, sub, handling, fields)


LICENSE_NOTE = "《中华人民共和国行政许可法》第四十二条：除可以当场作出行政许可决定的外，行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定。二十日内不能作出决定的，经本行政机关负责人批准，可以延长十日。"
ENTERPRISE = ("2", "6")
ORGS = ("2", "3", "4", "6")
PROJECT = ("2", "3", "5", "6")
CARD_FEE = ("居民身份证工本费", "20元/证", "《国家发展改革委 财政部关于降低第二代居民身份证工本费标准及有关问题的通知》（发改价格〔2005〕436号）", True)
ESTATE_FEES = (
    ("不动产登记费（住宅类）", "80元/件", "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）", True),
    ("不动产登记费（非住宅类）", "550元/件", "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》（发改价格规〔2016〕2559号）", True),
)
NO_RELATIVE = "本人无配偶以及与对方当事人没有直系血亲和三代以内旁系血亲关系的签字声明"

ITEMS: tuple[ItemSpec, ...] = (
    # ---- 市场监督管理局 ----
    item(
        "scjg", "01", "213", "食品经营许可",
        "《中华人民共和国食品安全法》第三十五条第一款：国家对食品生产经营实行许可制度。从事食品生产、食品销售、餐饮服务，应当依法取得许可。但是，销售食用农产品和仅销售预包装食品的，不需要取得许可。",
        leaf("食品经营许可（新办）", "001", promise="5个工作日", special="现场核查：3个工作日（不计入承诺办结时限）",
             materials=("食品经营许可申请书", "营业执照", "法定代表人（负责人）身份证件", "与食品经营相适应的主要设备设施布局和操作流程文件", "食品安全管理制度文本", "授权委托书")),
        leaf("食品经营许可（变更）", "002", promise="3个工作日", materials=("食品经营许可变更申请书", "《食品经营许可证》正副本", "与变更事项有关的证明材料", "授权委托书")),
        leaf("食品经营许可（延续）", "003", promise="3个工作日", materials=("食品经营许可延续申请书", "《食品经营许可证》正副本", "食品安全管理制度文本", "授权委托书")),
        leaf("食品经营许可（注销）", "004", promise="即办", depth="4", result=("准予注销食品经营许可决定书", "批文"),
             materials=("食品经营许可注销申请书", "《食品经营许可证》正副本", "营业执照")),
        objects=ENTERPRISE, result=("《食品经营许可证》", "证照"), legal_note=LICENSE_NOTE,
        conditions="申请人已取得营业执照等合法主体资格；具有与经营的食品品种、数量相适应的经营场所、设备设施和食品安全管理制度；配备专职或者兼职的食品安全管理人员。",
    ),
    item(
        "scjg", "01", "201", "企业设立、变更、注销登记",
        "《中华人民共和国公司法》第二十九条：设立公司，应当依法向公司登记机关申请设立登记。",
        leaf("有限责任公司设立登记", "001", "01", depth="4", co="江淮市公安局、江淮市社会保险服务中心、江淮市住房公积金管理中心",
             materials=("公司登记（备案）申请书", "公司章程", "股东主体资格证明或者自然人身份证件", "法定代表人、董事、监事和高级管理人员的任职文件", "住所（经营场所）使用证明", "授权委托书")),
        leaf("有限责任公司变更登记", "001", "02", depth="4", materials=("公司登记（备案）申请书", "公司章程修正案", "股东会变更决议或者决定", "《营业执照》正副本", "授权委托书")),
        leaf("有限责任公司注销登记", "001", "03", onsite="需现场缴回纸质营业执照正副本",
             materials=("公司注销登记申请书", "清算报告", "股东会注销决议或者决定", "《营业执照》正副本", "授权委托书")),
        leaf("个人独资企业设立登记", "002", "01", depth="4",
             basis="《中华人民共和国个人独资企业法》第九条：申请设立个人独资企业，应当由投资人或者其委托的代理人向个人独资企业所在地的登记机关提交设立申请书、投资人身份证明、生产经营场所使用证明等文件。",
             materials=("个人独资企业登记（备案）申请书", "投资人身份证件", "住所（经营场所）使用证明", "授权委托书")),
        leaf("个人独资企业变更登记", "002", "02", depth="4",
             basis="《中华人民共和国个人独资企业法》第十五条：个人独资企业存续期间登记事项发生变更的，应当在作出变更决定之日起的十五日内依法向登记机关申请办理变更登记。",
             materials=("个人独资企业登记（备案）申请书", "投资人身份证件", "《营业执照》正副本")),
        leaf("个人独资企业注销登记", "002", "03", onsite="需现场缴回纸质营业执照正副本",
             basis="《中华人民共和国个人独资企业法》第三十二条：个人独资企业清算结束后，投资人或者人民法院指定的清算人应当编制清算报告，并于十五日内到登记机关办理注销登记。",
             materials=("个人独资企业注销登记申请书", "投资人身份证件", "清算报告", "《营业执照》正副本")),
        objects=ENTERPRISE, legal="3个工作日", promise="1个工作日", result=("《营业执照》", "证照"),
        legal_note="《中华人民共和国市场主体登记管理条例》第十九条：登记机关对申请材料齐全、符合法定形式的予以确认并当场登记；不能当场登记的，应当在3个工作日内予以登记。",
    ),
    item(
        "scjg", "01", "224", "特种设备使用登记",
        "《中华人民共和国特种设备安全法》第三十三条：特种设备使用单位应当在特种设备投入使用前或者投入使用后三十日内，向负责特种设备安全监督管理的部门办理使用登记，取得使用登记证书。",
        legal="15个工作日", promise="5个工作日", objects=("1", "2", "6"), result=("《特种设备使用登记证》", "证照"),
        materials=("特种设备使用登记表", "使用单位营业执照或者个人身份证件", "特种设备产品合格证", "特种设备监督检验证明", "授权委托书"),
    ),
    item(
        "scjg", "01", "231", "药品零售企业许可",
        "《中华人民共和国药品管理法》第五十一条第一款：从事药品批发活动，应当经所在地省、自治区、直辖市人民政府药品监督管理部门批准，取得药品经营许可证。从事药品零售活动，应当经所在地县级以上地方人民政府药品监督管理部门批准，取得药品经营许可证。",
        leaf("药品零售企业许可（核发）", "001", promise="10个工作日", special="现场检查：10个工作日（不计入承诺办结时限）",
             materials=("药品经营许可证申请表", "营业场所、仓库平面布置图及房屋使用权证明", "执业药师注册证书", "药品质量管理制度文件", "授权委托书")),
        leaf("药品零售企业许可（变更）", "002", promise="5个工作日", materials=("药品经营许可证变更申请表", "《药品经营许可证》正副本", "与变更事项有关的证明材料", "授权委托书")),
        leaf("药品零售企业许可（换发）", "003", promise="5个工作日", materials=("药品经营许可证换发申请表", "《药品经营许可证》正副本", "药品质量管理制度执行情况自查报告", "授权委托书")),
        objects=ENTERPRISE, power="2", result=("《药品经营许可证》", "证照"), legal_note=LICENSE_NOTE,
    ),
    item(
        "scjg", "09", "301", "专利侵权纠纷行政裁决",
        "《中华人民共和国专利法》第六十五条：未经专利权人许可，实施其专利，即侵犯其专利权，引起纠纷的，由当事人协商解决；不愿协商或者协商不成的，专利权人或者利害关系人可以向人民法院起诉，也可以请求管理专利工作的部门处理。",
        levels=("3",), legal="3个月", promise="2个月", objects=("1", "2", "6"), result=("专利侵权纠纷行政裁决书", "批文"),
        legal_note="自立案之日起3个月内结案；案情复杂需要延长的，经批准可延长1个月。",
        special="口头审理、技术鉴定：时间不计入办结时限",
        materials=("专利侵权纠纷处理请求书", "请求人主体资格证明", "专利权有效的证明", "被请求人侵权的证据材料", "授权委托书"),
    ),
    # ---- 公安局 ----
    item(
        "ga", "07", "105", "户口登记",
        "《中华人民共和国户口登记条例》第三条：户口登记工作，由各级公安机关主管。",
        leaf("出生登记", "001", promise="即办", onsite="需现场核验《出生医学证明》原件",
             basis="《中华人民共和国户口登记条例》第七条：婴儿出生后一个月以内，由户主、亲属、抚养人或者邻居向婴儿常住地户口登记机关申报出生登记。",
             materials=("《出生医学证明》", "父亲或者母亲的居民户口簿", "父母双方居民身份证", "父母结婚证"),
             situations=(("婚生子女出生登记", "父母已办理结婚登记", ("《出生医学证明》", "父亲或者母亲的居民户口簿", "父母双方居民身份证", "父母结婚证"), None),
                         ("非婚生子女出生登记", "父母未办理结婚登记，随父或者随母登记", ("《出生医学证明》", "父亲或者母亲的居民户口簿", "父母双方居民身份证"), None))),
        leaf("死亡注销户口登记", "002", promise="即办", result=("户口注销证明", "其他"),
             basis="《中华人民共和国户口登记条例》第八条：公民死亡，城市在葬前，农村在一个月以内，由户主、亲属、抚养人或者邻居向户口登记机关申报死亡登记，注销户口。",
             materials=("居民死亡医学证明（推断）书", "死者居民户口簿", "死者居民身份证", "申报人居民身份证")),
        leaf("户口迁入登记", "003", promise="5个工作日", result=("居民户口簿（迁入登记页）", "证照"),
             basis="《中华人民共和国户口登记条例》第十条：公民迁出本户口管辖区，由本人或者户主在迁出前向户口登记机关申报迁出登记，领取迁移证件，注销户口。",
             materials=("户口迁移申请表", "居民户口簿", "居民身份证", "迁入地合法稳定住所证明", "授权委托书")),
        legal="无", result=("居民户口簿（出生登记页）", "证照"),
    ),
    item(
        "ga", "07", "118", "居民身份证申领、换领、补领",
        "《中华人民共和国居民身份证法》第八条：居民身份证由居民常住户口所在地的县级人民政府公安机关签发。",
        leaf("居民身份证首次申领", "001", materials=("居民户口簿", "居民身份证申领登记表", "本人近期相片（现场采集）")),
        leaf("居民身份证换领", "002", materials=("居民户口簿", "原居民身份证", "居民身份证申领登记表"),
             situations=(("有效期满换领", "居民身份证有效期满前三个月内申请换领", ("居民户口簿", "原居民身份证", "居民身份证申领登记表"), None),
                         ("登记项目变更换领", "姓名、民族等登记项目变更后申请换领", ("居民户口簿", "原居民身份证", "居民身份证申领登记表"), None))),
        leaf("居民身份证补领", "003", materials=("居民户口簿", "居民身份证申领登记表", "居民身份证丢失情况说明")),
        legal="60日", promise="20日", fees=(CARD_FEE,), onsite="需现场采集人像和指纹信息", result=("《中华人民共和国居民身份证》", "证照"),
        legal_note="《中华人民共和国居民身份证法》规定：公安机关应当自公民提交申领登记表之日起六十日内发放居民身份证；交通不便的地区可以适当延长，但延长的时间不得超过三十日。",
    ),
    item(
        "ga", "11", "121", "公章刻制备案",
        "《国务院关于第三批取消中央指定地方实施行政许可事项的决定》（国发〔2017〕7号）：取消公章刻制审批，改为备案管理，公安机关实行公章刻制信息化管理。",
        ss="34", legal="无", promise="即办", depth="4", objects=ORGS, result=("公章刻制备案信息", "其他"),
        materials=("公章刻制备案申请表", "营业执照", "法定代表人身份证件"),
    ),
    item(
        "ga", "01", "132", "旅馆业特种行业许可证核发",
        "《国务院对确需保留的行政审批项目设定行政许可的决定》（国务院令第412号）附件第37项：旅馆业特种行业许可证核发，实施机关为县级以上地方人民政府公安机关。",
        objects=ENTERPRISE, result=("《特种行业许可证》", "证照"), special="现场检查：5个工作日（不计入承诺办结时限）", legal_note=LICENSE_NOTE,
        materials=("旅馆业特种行业许可申请登记表", "营业执照", "法定代表人（负责人）身份证件", "经营场所产权或者使用权证明", "旅馆安全防范设施设备清单", "治安保卫制度文本"),
    ),
    item(
        "ga", "20", "140", "无犯罪记录证明出具",
        "《公安机关办理犯罪记录查询工作规定》第二条：公安机关应当根据个人申请，出具《无犯罪记录证明》。",
        legal="3个工作日", promise="即办", depth="4", result=("《无犯罪记录证明》", "其他"),
        materials=("无犯罪记录证明申请表", "申请人居民身份证", "授权委托书", "受托人身份证件"),
    ),
    # ---- 人力资源和社会保障局 / 社会保险服务中心 ----
    item(
        "rs", "07", "407", "职工正常退休（职）申请",
        "《国务院关于工人退休、退职的暂行办法》（国发〔1978〕104号）第一条：全民所有制企业、事业单位和党政机关、群众团体的工人，符合下列条件之一的，应该退休：（一）男年满六十周岁，女年满五十周岁，连续工龄满十年的。",
        promise="5个工作日", objects=("1", "2"), result=("职工退休审批表", "批文"),
        materials=("职工退休申请表", "居民身份证", "职工本人档案", "授权委托书"),
    ),
    item(
        "sbzx", "05", "302", "企业职工基本养老保险待遇申领",
        "《中华人民共和国社会保险法》第十六条：参加基本养老保险的个人，达到法定退休年龄时累计缴费满十五年的，按月领取基本养老金。",
        leaf("基本养老金申领", "001", result=("基本养老金待遇核定表", "其他"), materials=("基本养老保险待遇申领表", "居民身份证", "社会保障卡", "职工退休审批表")),
        leaf("丧葬补助金、抚恤金申领", "002", result=("丧葬补助金、抚恤金核定结果", "其他"),
             basis="《中华人民共和国社会保险法》第十七条：参加基本养老保险的个人，因病或者非因工死亡的，其遗属可以领取丧葬补助金和抚恤金。",
             materials=("丧葬补助金、抚恤金申领表", "死亡医学证明", "申领人居民身份证", "申领人与死者关系证明", "授权委托书")),
        promise="5个工作日",
    ),
    item(
        "rs", "05", "311", "失业保险金申领",
        "《中华人民共和国社会保险法》第四十五条：失业人员符合下列条件的，从失业保险基金中领取失业保险金：（一）失业前用人单位和本人已经缴纳失业保险费满一年的；（二）非因本人意愿中断就业的；（三）已经进行失业登记，并有求职要求的。",
        legal="10个工作日", promise="即办", depth="4", result=("失业保险金核定结果", "其他"),
        materials=("失业保险金申领登记表", "居民身份证", "解除或者终止劳动关系证明"),
    ),
    item(
        "rs", "20", "325", "就业创业证申领",
        "《就业服务与就业管理规定》第六十三条：劳动者可以持本人有效身份证件，到公共就业服务机构申领《就业创业证》。",
        legal="无", promise="即办", depth="4", result=("《就业创业证》", "证照"),
        materials=("就业创业证申领登记表", "居民身份证", "近期免冠照片"),
    ),
    item(
        "sbzx", "20", "331", "社会保险登记",
        "《中华人民共和国社会保险法》第五十七条：用人单位应当自成立之日起三十日内凭营业执照、登记证书或者单位印章，向当地社会保险经办机构申请办理社会保险登记。社会保险经办机构应当自收到申请之日起十五日内予以审核，发给社会保险登记证件。",
        leaf("单位参保登记", "001", materials=("社会保险登记表", "营业执照", "法定代表人身份证件")),
        leaf("职工参保登记", "002", basis="《中华人民共和国社会保险法》第五十八条：用人单位应当自用工之日起三十日内为其职工向社会保险经办机构申请办理社会保险登记。",
             materials=("职工参保登记表", "职工居民身份证", "劳动合同")),
        legal="15日", promise="即办", depth="4", objects=ORGS, result=("社会保险登记信息", "其他"),
    ),
    # ---- 卫生健康委员会 ----
    item(
        "wj", "07", "510", "出生医学证明签发",
        "《中华人民共和国母婴保健法》第二十三条：医疗机构和从事家庭接生的人员按照国务院卫生行政部门的规定，出具统一制发的新生儿出生医学证明。",
        leaf("出生医学证明首次签发", "001", promise="即办", onsite="需现场核对新生儿父母身份信息并签字确认",
             materials=("出生医学证明首次签发登记表", "新生儿父母居民身份证", "新生儿父母结婚证"),
             situations=(("父母已办理结婚登记", "新生儿父母已办理结婚登记", ("出生医学证明首次签发登记表", "新生儿父母居民身份证", "新生儿父母结婚证"), None),
                         ("父母未办理结婚登记", "新生儿父母未办理结婚登记", ("出生医学证明首次签发登记表", "新生儿父母居民身份证"), None))),
        leaf("出生医学证明补发", "002", promise="10个工作日", materials=("出生医学证明补发申请表", "新生儿父母居民身份证", "新生儿居民户口簿", "分娩机构出具的住院分娩证明")),
        leaf("出生医学证明换发", "003", promise="5个工作日", materials=("出生医学证明换发申请表", "原《出生医学证明》", "新生儿父母居民身份证")),
        legal="20个工作日", result=("《出生医学证明》", "证照"),
    ),
    item(
        "wj", "01", "602", "医疗机构执业登记",
        "《医疗机构管理条例》第十五条：医疗机构执业，必须进行登记，领取《医疗机构执业许可证》。",
        leaf("医疗机构执业登记", "001", promise="20日", special="现场审查：10个工作日（不计入承诺办结时限）",
             materials=("医疗机构执业登记申请书", "医疗机构用房产权证明或者使用证明", "医疗机构建筑设计平面图", "验资证明或者资产评估报告", "医疗机构规章制度", "医疗机构负责人及各科室负责人名录和执业证书复印件")),
        leaf("医疗机构变更登记", "002", promise="15日", materials=("医疗机构变更登记申请书", "《医疗机构执业许可证》正副本", "与变更事项有关的证明材料", "授权委托书")),
        leaf("医疗机构注销登记", "003", promise="10日", result=("医疗机构注销登记决定书", "批文"), materials=("医疗机构注销登记申请书", "《医疗机构执业许可证》正副本", "授权委托书")),
        legal="45日", objects=ORGS, result=("《医疗机构执业许可证》", "证照"),
        legal_note="《医疗机构管理条例实施细则》：登记机关应当自受理执业登记申请之日起45日内进行审核。",
    ),
    item(
        "wj", "01", "615", "医师执业注册",
        "《中华人民共和国医师法》第十三条：国家实行医师执业注册制度。取得医师资格的，可以向所在地县级以上地方人民政府卫生健康主管部门申请注册。",
        leaf("医师执业首次注册", "001", materials=("医师执业注册申请审核表", "医师资格证书", "二寸免冠正面半身照片", "医疗卫生机构拟聘用证明", "健康体检证明")),
        leaf("医师执业变更注册", "002", promise="5个工作日", depth="4", materials=("医师变更执业注册申请审核表", "《医师执业证书》", "拟执业机构聘用证明")),
        result=("《医师执业证书》", "证照"),
        legal_note="《中华人民共和国医师法》第十三条：受理申请的卫生健康主管部门应当自受理申请之日起二十个工作日内准予注册。",
    ),
    item(
        "wj", "01", "628", "公共场所卫生许可",
        "《公共场所卫生管理条例》第八条：除公园、体育场（馆）、公共交通工具外的公共场所，经营单位应当及时向卫生行政部门申请办理“卫生许可证”。",
        promise="7个工作日", objects=ENTERPRISE, result=("《公共场所卫生许可证》", "证照"), legal_note=LICENSE_NOTE,
        materials=("公共场所卫生许可申请表", "营业执照", "公共场所地址方位示意图和平面图", "公共场所卫生检测报告", "卫生管理制度", "授权委托书"),
    ),
    # ---- 自然资源和规划局 / 不动产登记中心 ----
    item(
        "zrzy", "01", "705", "建设用地规划许可证核发",
        "《中华人民共和国城乡规划法》第三十七条：在城市、镇规划区内以划拨方式提供国有土地使用权的建设项目，经有关部门批准、核准、备案后，建设单位应当向城市、县人民政府城乡规划主管部门提出建设用地规划许可申请。",
        leaf("建设用地规划许可证核发（划拨方式）", "001", promise="5个工作日",
             materials=("建设用地规划许可申请表", "建设项目批准、核准或者备案文件", "建设项目用地预审与选址意见书", "标绘有用地范围的地形图", "授权委托书")),
        leaf("建设用地规划许可证核发（出让方式）", "002", promise="3个工作日",
             basis="《中华人民共和国城乡规划法》第三十八条：以出让方式取得国有土地使用权的建设项目，建设单位在取得建设项目的批准、核准、备案文件和签订国有土地使用权出让合同后，向城市、县人民政府城乡规划主管部门领取建设用地规划许可证。",
             materials=("建设用地规划许可申请表", "国有建设用地使用权出让合同", "建设项目批准、核准或者备案文件", "授权委托书")),
        objects=PROJECT, result=("《建设用地规划许可证》", "证照"), legal_note=LICENSE_NOTE,
    ),
    item(
        "zrzy", "01", "711", "建设工程规划许可证核发",
        "《中华人民共和国城乡规划法》第四十条：在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设的，建设单位或者个人应当向城市、县人民政府城乡规划主管部门或者省、自治区、直辖市人民政府确定的镇人民政府申请办理建设工程规划许可证。",
        promise="7个工作日", objects=PROJECT, result=("《建设工程规划许可证》", "证照"), intermediary="建设工程设计方案编制（具有相应资质的设计单位）",
        materials=("建设工程规划许可申请表", "使用土地的有关证明文件", "建设工程设计方案", "建设工程规划许可证附图", "授权委托书"),
    ),
    item(
        "zrzy", "07", "720", "不动产登记",
        "《中华人民共和国民法典》第二百一十条：不动产登记，由不动产所在地的登记机构办理。",
        leaf("国有建设用地使用权及房屋所有权首次登记", "001", promise="5个工作日", fees=ESTATE_FEES,
             materials=("不动产登记申请书", "申请人身份证明", "不动产权属来源证明", "建设工程符合规划的材料", "房屋已经竣工的材料", "不动产权籍调查成果", "授权委托书")),
        leaf("国有建设用地使用权及房屋所有权转移登记", "002", promise="3个工作日", fees=ESTATE_FEES,
             materials=("不动产登记申请书", "申请人身份证明", "不动产权证书", "不动产买卖合同", "继承权公证书或者生效法律文书", "完税凭证"),
             situations=(("存量房买卖转移登记", "买卖双方共同申请", ("不动产登记申请书", "申请人身份证明", "不动产权证书", "不动产买卖合同", "完税凭证"), None),
                         ("继承、受遗赠转移登记", "继承人或者受遗赠人申请，需公告的除外", ("不动产登记申请书", "申请人身份证明", "不动产权证书", "继承权公证书或者生效法律文书", "完税凭证"), "10个工作日"))),
        leaf("不动产更正登记", "003", promise="10个工作日", materials=("不动产登记申请书", "申请人身份证明", "不动产权证书", "证实不动产登记簿记载事项错误的材料")),
        leaf("抵押权注销登记", "004", promise="即办", depth="4", result=("不动产登记簿注销记载", "其他"), materials=("不动产登记申请书", "申请人身份证明", "抵押权消灭的材料")),
        agency="bdc", legal="30个工作日", objects=("1", "2", "3", "4", "6"), result=("《不动产权证书》", "证照"),
        legal_note="《不动产登记暂行条例》第二十条：不动产登记机构应当自受理登记申请之日起30个工作日内办结不动产登记手续，法律另有规定的除外。",
    ),
    item(
        "zrzy", "09", "731", "土地权属争议行政裁决",
        "《中华人民共和国土地管理法》第十四条：土地所有权和使用权争议，由当事人协商解决；协商不成的，由人民政府处理。",
        legal="6个月", promise="5个月", objects=("1", "2", "3", "4", "5", "6"), result=("土地权属争议处理决定书", "批文"),
        legal_note="《土地权属争议调查处理办法》：自受理土地权属争议之日起6个月内提出调查处理意见。",
        materials=("土地权属争议调查处理申请书", "申请人身份证明", "土地权属来源证明", "争议土地四至范围示意图", "授权委托书"),
    ),
    # ---- 住房和城乡建设局 ----
    item(
        "zj", "01", "805", "建筑工程施工许可证核发",
        "《中华人民共和国建筑法》第七条：建筑工程开工前，建设单位应当按照国家有关规定向工程所在地县级以上人民政府建设行政主管部门申请领取施工许可证。",
        leaf("建筑工程施工许可证核发（新办）", "001", "01", depth="4",
             materials=("建筑工程施工许可申请表", "建设工程规划许可证", "施工合同", "施工图设计文件审查合格书", "建设资金已经落实承诺书", "授权委托书")),
        leaf("建筑工程施工许可证核发（变更）", "001", "02", materials=("建筑工程施工许可变更申请表", "原《建筑工程施工许可证》", "与变更事项有关的证明材料", "授权委托书")),
        leaf("建筑工程施工许可证核发（延期）", "001", "03", promise="2日", materials=("建筑工程施工许可延期申请表", "原《建筑工程施工许可证》", "延期原因说明")),
        legal="7日", promise="3日", objects=PROJECT, result=("《建筑工程施工许可证》", "证照"),
        legal_note="《中华人民共和国建筑法》第八条：建设行政主管部门应当自收到申请之日起七日内，对符合条件的申请颁发施工许可证。",
    ),
    item(
        "zj", "01", "812", "商品房预售许可",
        "《中华人民共和国城市房地产管理法》第四十五条：商品房预售，应当符合下列条件：……（四）向县级以上人民政府房产管理部门办理预售登记，取得商品房预售许可证明。",
        legal="10日", promise="5日", objects=("2",), result=("《商品房预售许可证》", "证照"),
        materials=("商品房预售许可申请表", "营业执照", "房地产开发企业资质证书", "不动产权证书", "建设工程规划许可证和施工许可证", "商品房预售方案", "授权委托书"),
    ),
    item(
        "zj", "01", "826", "特殊建设工程消防设计审查",
        "《中华人民共和国消防法》第十一条：国务院住房和城乡建设主管部门规定的特殊建设工程，建设单位应当将消防设计文件报送住房和城乡建设主管部门审查，住房和城乡建设主管部门依法对审查的结果负责。",
        legal="15个工作日", objects=PROJECT, result=("特殊建设工程消防设计审查意见书", "批文"), intermediary="消防设计文件技术审查（技术服务机构）",
        materials=("特殊建设工程消防设计审查申请表", "消防设计文件", "建设工程规划许可证", "特殊消防设计技术资料", "授权委托书"),
    ),
    item(
        "zj", "10", "837", "建设工程竣工验收备案",
        "《建设工程质量管理条例》第四十九条：建设单位应当自建设工程竣工验收合格之日起15日内，将建设工程竣工验收报告和规划、公安消防、环保等部门出具的认可文件或者准许使用文件报建设行政主管部门或者其他有关部门备案。",
        legal="5个工作日", promise="3个工作日", objects=PROJECT, result=("工程竣工验收备案表（备案意见）", "其他"),
        materials=("工程竣工验收备案表", "工程竣工验收报告", "规划认可文件", "消防验收意见或者备案凭证", "工程质量保修书"),
    ),
    item(
        "zj", "11", "841", "住房租赁合同登记备案",
        "《商品房屋租赁管理办法》第十四条：房屋租赁合同订立后三十日内，房屋租赁当事人应当到租赁房屋所在地直辖市、市、县人民政府建设（房地产）主管部门办理房屋租赁登记备案。",
        ss="34", legal="3个工作日", promise="即办", depth="4", objects=("1", "2", "6"), result=("房屋租赁登记备案证明", "其他"),
        materials=("房屋租赁登记备案申请表", "房屋租赁合同", "不动产权证书", "当事人身份证明"),
    ),
    # ---- 交通运输局 ----
    item(
        "jt", "01", "903", "道路旅客运输经营许可",
        "《中华人民共和国道路运输条例》第十条：申请从事客运经营的，应当依法向市场监督管理部门办理有关登记手续后，按照规定向所在地设区的市级或者县级人民政府交通运输主管部门提出申请。",
        legal="20日", promise="10日", objects=ENTERPRISE, result=("《道路运输经营许可证》", "证照"),
        materials=("道路旅客运输经营申请表", "企业负责人身份证件", "拟投入车辆承诺书", "已聘用或者拟聘用驾驶员的驾驶证和从业资格证", "安全生产管理制度文本", "授权委托书"),
    ),
    item(
        "jt", "01", "911", "道路危险货物运输许可",
        "《中华人民共和国道路运输条例》第二十四条：申请从事危险货物运输经营的，应当向所在地设区的市级人民政府交通运输主管部门提出申请。",
        levels=("3",), power="2", legal="20日", promise="10日", objects=ENTERPRISE, result=("《道路运输经营许可证》", "证照"),
        special="现场核查：5个工作日（不计入承诺办结时限）",
        materials=("道路危险货物运输经营申请表", "拟投入车辆承诺书", "停车场地的土地使用证明", "驾驶人员、装卸管理人员、押运人员从业资格证", "安全生产管理制度文本", "授权委托书"),
    ),
    item(
        "jt", "20", "924", "道路运输从业人员从业资格证补发、换发",
        "《道路运输从业人员管理规定》第三十八条：道路运输从业人员从业资格证件遗失、毁损的，应当到原发证机关办理证件补发手续；有效期届满需要继续从业的，应当办理换证手续。",
        leaf("道路运输从业人员从业资格证补发", "001", materials=("从业资格证补发申请表", "居民身份证", "从业资格证遗失声明")),
        leaf("道路运输从业人员从业资格证换发", "002", materials=("从业资格证换发申请表", "居民身份证", "原从业资格证")),
        legal="5个工作日", promise="即办", depth="4", result=("《中华人民共和国道路运输从业人员从业资格证》", "证照"),
    ),
    item(
        "jt", "01", "935", "公路超限运输许可",
        "《中华人民共和国公路法》第五十条第一款：超过公路、公路桥梁、公路隧道或者汽车渡船的限载、限高、限宽、限长标准的车辆，不得在有限定标准的公路、公路桥梁上或者公路隧道内行驶；确需行驶的，必须经县级以上地方人民政府交通主管部门批准。",
        legal="15个工作日", promise="5个工作日", depth="4", objects=("1", "2", "6"), result=("《超限运输车辆通行证》", "证照"),
        materials=("公路超限运输申请表", "车辆行驶证", "驾驶人驾驶证", "货物重量、外廓尺寸及总体轮廓图", "授权委托书"),
    ),
    # ---- 民政局 ----
    item(
        "mz", "07", "120", "婚姻登记",
        "《中华人民共和国民法典》第一千零四十九条：要求结婚的男女双方应当亲自到婚姻登记机关申请结婚登记。符合本法规定的，予以登记，发给结婚证。",
        leaf("内地居民结婚登记", "001", onsite="结婚登记须男女双方亲自到场申请", result=("《结婚证》", "证照"),
             materials=("双方居民户口簿", "双方居民身份证", NO_RELATIVE, "双方近期半身免冠合影照片")),
        leaf("内地居民离婚登记", "002", visits=2, onsite="离婚登记须双方亲自到场两次（提交申请、领取离婚证）", result=("《离婚证》", "证照"),
             special="离婚冷静期：自婚姻登记机关收到离婚登记申请之日起三十日（不计入办结时限）",
             basis="《中华人民共和国民法典》第一千零七十六条：夫妻双方自愿离婚的，应当签订书面离婚协议，并亲自到婚姻登记机关申请离婚登记。",
             materials=("双方居民户口簿", "双方居民身份证", "双方结婚证", "双方共同签署的离婚协议书")),
        leaf("补领婚姻登记证", "003", onsite="补领婚姻登记证须当事人亲自到场", result=("《结婚证》或者《离婚证》", "证照"),
             materials=("居民户口簿", "居民身份证", "婚姻登记档案记载证明")),
        legal="无", promise="即办",
    ),
    item(
        "mz", "05", "211", "最低生活保障金给付",
        "《社会救助暂行办法》第九条：国家对共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合当地最低生活保障家庭财产状况规定的家庭，给予最低生活保障。",
        legal="30个工作日", promise="20个工作日", result=("最低生活保障金发放", "其他"), special="入户调查、民主评议和公示：7个工作日（不计入承诺办结时限）",
        materials=("最低生活保障申请书", "家庭成员居民身份证和居民户口簿", "家庭经济状况核对授权书", "家庭成员收入情况声明"),
    ),
    item(
        "mz", "01", "230", "社会团体成立、变更、注销登记",
        "《社会团体登记管理条例》第三条：成立社会团体，应当经其业务主管单位审查同意，并依照本条例的规定进行登记。",
        leaf("社会团体成立登记", "001", "01", promise="20日", result=("《社会团体法人登记证书》", "证照"),
             materials=("社会团体成立登记申请书", "业务主管单位的批准文件", "验资报告", "社会团体章程草案", "住所使用权证明", "拟任负责人身份证明")),
        leaf("社会团体变更登记", "001", "02", result=("《社会团体法人登记证书》", "证照"),
             materials=("社会团体变更登记申请书", "业务主管单位审查同意的文件", "会员（代表）大会决议", "《社会团体法人登记证书》正副本")),
        leaf("社会团体注销登记", "001", "03", result=("社会团体注销登记证明", "其他"),
             materials=("社会团体注销登记申请书", "业务主管单位审查同意的文件", "清算报告", "《社会团体法人登记证书》正副本")),
        legal="60日", promise="10日", objects=("4",),
        legal_note="《社会团体登记管理条例》：登记管理机关应当自收到全部有效文件之日起60日内作出准予或者不予登记的决定。",
    ),
    item(
        "mz", "05", "245", "困难残疾人生活补贴和重度残疾人护理补贴给付",
        "《国务院关于全面建立困难残疾人生活补贴和重度残疾人护理补贴制度的意见》（国发〔2015〕52号）：困难残疾人生活补贴和重度残疾人护理补贴由残疾人向户籍所在地乡镇人民政府（街道办事处）提出申请，县级人民政府民政部门审定。",
        promise="15个工作日", result=("残疾人两项补贴发放", "其他"),
        materials=("残疾人两项补贴申请审批表", "申请人居民身份证", "《中华人民共和国残疾人证》", "居民户口簿"),
    ),
    item(
        "mz", "05", "252", "高龄津贴给付",
        "《中华人民共和国老年人权益保障法》第三十三条：国家建立和完善老年人福利制度，根据经济社会发展水平和老年人的实际需要，增加老年人的社会福利。国家鼓励地方建立八十周岁以上低收入老年人高龄津贴制度。",
        depth="4", result=("高龄津贴发放", "其他"),
        materials=("高龄津贴申请表", "老年人居民身份证", "老年人本人银行账户信息"),
    ),
    # ---- 教育局 ----
    item(
        "jy", "01", "104", "民办学校办学许可",
        "《中华人民共和国民办教育促进法》第十二条：举办实施学历教育、学前教育、自学考试助学及其他文化教育的民办学校，由县级以上人民政府教育行政部门按照国家规定的权限审批。",
        leaf("民办学校设立", "001", promise="2个月",
             materials=("民办学校设立申请报告", "举办者身份证明", "资产来源、资金数额及有效证明文件", "学校章程和首届理事会组成人员名单", "校舍不动产权证书或者租赁合同", "授权委托书")),
        leaf("民办学校变更", "002", materials=("民办学校变更申请书", "学校理事会或者董事会决议", "《民办学校办学许可证》正副本", "与变更事项有关的证明材料")),
        leaf("民办学校终止", "003", result=("民办学校终止决定书", "批文"),
             materials=("民办学校终止申请书", "学校理事会或者董事会决议", "财务清算报告", "学生安置方案", "《民办学校办学许可证》正副本")),
        legal="3个月", promise="1个月", objects=("1", "2", "3", "4", "6"), result=("《民办学校办学许可证》", "证照"),
    ),
    item(
        "jy", "01", "113", "教师资格认定",
        "《中华人民共和国教师法》第十三条：中小学教师资格由县级以上地方人民政府教育行政部门认定。",
        leaf("高级中学教师资格认定", "001", county=False),
        leaf("初级中学教师资格认定", "002"),
        legal="30个工作日", promise="20个工作日", result=("《教师资格证书》", "证照"),
        materials=("教师资格认定申请表", "居民身份证", "学历证书", "普通话水平测试等级证书", "体检合格证明", "近期免冠正面证件照"),
        legal_note="《教师资格条例实施办法》：教师资格认定机构应当自受理申请之日起30个法定工作日内作出认定结论。",
    ),
    item(
        "jy", "20", "121", "教师资格证书补发换发",
        "《教师资格条例实施办法》第二十七条：教师资格证书遗失或者损毁影响使用的，由本人向原发证机关报告，申请补发。",
        legal="无", result=("《教师资格证书》", "证照"),
        materials=("教师资格证书补发换发申请表", "居民身份证", ("原教师资格证书", {"necessity": "非必要", "note": "证书损毁申请换发时提供"}),
                   ("教师资格证书遗失声明", {"necessity": "非必要", "note": "证书遗失申请补发时提供"})),
        situations=(("证书遗失补发", "教师资格证书遗失", ("教师资格证书补发换发申请表", "居民身份证", "教师资格证书遗失声明"), None),
                    ("证书损毁换发", "教师资格证书损毁影响使用", ("教师资格证书补发换发申请表", "居民身份证", "原教师资格证书"), None)),
    ),
    item(
        "jy", "20", "135", "义务教育阶段学生转学",
        "《中华人民共和国义务教育法》第十二条：适龄儿童、少年免试入学。地方各级人民政府应当保障适龄儿童、少年在户籍所在地学校就近入学。",
        legal="无", promise="5个工作日", result=("学生转学联系单", "其他"),
        materials=("义务教育阶段学生转学申请表", "学生居民户口簿", "监护人居民身份证", "转入学校接收证明"),
    ),
    # ---- 生态环境局 ----
    item(
        "sthj", "01", "602", "建设项目环境影响评价文件审批",
        "《中华人民共和国环境影响评价法》第二十二条：建设项目的环境影响报告书、报告表，由建设单位按照国务院的规定报有审批权的生态环境主管部门审批。审批部门应当自收到环境影响报告书之日起六十日内，收到环境影响报告表之日起三十日内，分别作出审批决定并书面通知建设单位。",
        leaf("环境影响报告书审批", "001", county=False, legal="60日", promise="20日", special="技术评估：30日（不计入办结时限）",
             intermediary="环境影响报告书编制（环境影响评价技术单位）", result=("建设项目环境影响报告书审批意见", "批文"),
             materials=("建设项目环境影响报告书审批申请", "建设项目环境影响报告书", "公众参与说明", "授权委托书")),
        leaf("环境影响报告表审批", "002", legal="30日", promise="10日", intermediary="环境影响报告表编制（环境影响评价技术单位）",
             result=("建设项目环境影响报告表审批意见", "批文"), materials=("建设项目环境影响报告表审批申请", "建设项目环境影响报告表", "授权委托书")),
        objects=PROJECT,
    ),
    item(
        "sthj", "01", "615", "排污许可证核发",
        "《排污许可管理条例》第二条：依照法律规定实行排污许可管理的企业事业单位和其他生产经营者，应当依照本条例规定申请取得排污许可证；未取得排污许可证的，不得排放污染物。",
        levels=("3",), legal="20日", promise="15日", depth="4", objects=("2", "3", "6"), result=("《排污许可证》", "证照"),
        materials=("排污许可证申请表", "自行监测方案", "守法承诺书", "排污许可证申请前信息公开情况说明表"),
    ),
    item(
        "sthj", "11", "628", "建设项目环境影响登记表备案",
        "《中华人民共和国环境影响评价法》第二十二条第四款：国家对环境影响登记表实行备案管理。",
        ss="34", legal="无", promise="即办", depth="4", objects=("2", "3", "6"), result=("建设项目环境影响登记表备案回执", "其他"),
        materials=("建设项目环境影响登记表", "建设单位承诺书", "建设项目地理位置图"),
    ),
    # ---- 医疗保障局 ----
    item(
        "yb", "20", "101", "城乡居民基本医疗保险参保登记",
        "《中华人民共和国社会保险法》第二十五条第一款：国家建立和完善城镇居民基本医疗保险制度。",
        legal="无", promise="即办", depth="4", result=("参保登记信息", "其他"),
        materials=("城乡居民基本医疗保险参保登记表", "参保人居民身份证或者居民户口簿", "监护人居民身份证"),
        situations=(("成年居民参保", "年满十八周岁的城乡居民本人办理", ("城乡居民基本医疗保险参保登记表", "参保人居民身份证或者居民户口簿"), None),
                    ("新生儿和未成年人参保", "由监护人代为办理", ("城乡居民基本医疗保险参保登记表", "参保人居民身份证或者居民户口簿", "监护人居民身份证"), None)),
    ),
    item(
        "yb", "20", "115", "异地就医备案",
        "《中华人民共和国社会保险法》第二十九条第二款：社会保险行政部门和卫生行政部门应当建立异地就医医疗费用结算制度，方便参保人员享受基本医疗保险待遇。",
        legal="无", promise="即办", depth="4", result=("异地就医备案凭证", "其他"),
        materials=("异地就医登记备案表", "参保人居民身份证", "异地长期居住个人承诺书"),
    ),
    item(
        "yb", "07", "124", "退休人员基本医疗保险待遇核定",
        "《中华人民共和国社会保险法》第二十七条：参加职工基本医疗保险的个人，达到法定退休年龄时累计缴费达到国家规定年限的，退休后不再缴纳基本医疗保险费，按照国家规定享受基本医疗保险待遇。",
        promise="5个工作日", result=("退休人员医保待遇核定结果", "其他"),
        materials=("退休人员医疗保险待遇核定表", "居民身份证", "职工退休审批表"),
    ),
    # ---- 住房公积金管理中心 ----
    item(
        "gjj", "20", "901", "住房公积金提取",
        "《住房公积金管理条例》第二十四条：职工有下列情形之一的，可以提取职工住房公积金账户内的存储余额：（一）购买、建造、翻建、大修自住住房的；（二）离休、退休的；……（六）房租超出家庭工资收入的规定比例的。",
        leaf("购房提取住房公积金", "001", promise="1日", materials=("住房公积金提取申请表", "居民身份证", "购房合同或者不动产权证书", "购房款付款凭证")),
        leaf("退休提取住房公积金", "002", promise="即办", depth="4", materials=("住房公积金提取申请表", "居民身份证", "职工退休审批表")),
        leaf("租房提取住房公积金", "003", promise="即办", depth="4", materials=("住房公积金提取申请表", "居民身份证", "房屋租赁合同")),
        levels=("3",), legal="3日", result=("住房公积金提取审批结果", "其他"),
        legal_note="《住房公积金管理条例》第二十五条：住房公积金管理中心应当自受理申请之日起3日内作出准予提取或者不准提取的决定，并通知申请人。",
    ),
    item(
        "gjj", "20", "912", "住房公积金单位缴存登记",
        "《住房公积金管理条例》第十四条：新设立的单位应当自设立之日起30日内到住房公积金管理中心办理住房公积金缴存登记，并自登记之日起20日内持住房公积金管理中心的审核文件，到受委托银行为本单位职工办理住房公积金账户设立手续。",
        levels=("3",), legal="5日", promise="即办", depth="4", objects=ORGS, result=("住房公积金单位缴存登记信息", "其他"),
        materials=("住房公积金单位缴存登记表", "营业执照", "经办人居民身份证"),
    ),
)

BUNDLES: tuple[tuple[str, tuple[str, ...], str, int], ...] = (
    ("新生儿出生一件事", ("出生医学证明首次签发", "出生登记", "城乡居民基本医疗保险参保登记"), "5个工作日", 1),
    ("企业开办一件事", ("有限责任公司设立登记", "公章刻制备案", "单位参保登记", "住房公积金单位缴存登记"), "1个工作日", 0),
    ("退休一件事", ("职工正常退休（职）申请", "基本养老金申领", "退休人员基本医疗保险待遇核定", "退休提取住房公积金"), "5个工作日", 1),
)

# ---------------------------------------------------------------------------------------------
# Building records
# ---------------------------------------------------------------------------------------------


def time_limit(text: str) -> TimeLimit:
    """"20个工作日" / "60日" / "3个月" / "即办" / "无" → a canonical TimeLimit."""
    if text == "即办":
        return TimeLimit(0, "即办", "即办")
    if text == "无":
        return TimeLimit(None, "无", "无")
    m = re.fullmatch(r"(\d+)(个工作日|日|个月)", text)
    if m is None:
        raise ValueError(f"bad time limit {text!r}")
    unit = {"个工作日": "工作日", "日": "自然日", "个月": "月"}[m.group(2)]
    return TimeLimit(int(m.group(1)), unit, text)


def limit_text(value: int, unit: str) -> str:
    if value == 0:
        return "即办"
    return {"工作日": f"{value}个工作日", "自然日": f"{value}日", "月": f"{value}个月"}[unit]


AGENT_MATERIALS = ("授权委托书", "受托人身份证件")
PHOTO_WORDS = ("照片", "相片", "证件照")
FORM_ENDINGS = ("申请表", "申请书", "登记表", "审批表", "审核表", "核定表", "备案表", "申领表", "声明", "承诺书", "情况说明", "说明表", "授权书", "审批申请", "申请报告")
INTERMEDIARY_WORDS = ("验资", "评估报告", "检测报告", "环境影响报告", "权籍调查成果", "审查合格书", "设计文件", "设计方案", "清算报告")
MEDICAL_WORDS = ("医学证明", "体检", "分娩证明")
GOV_WORDS = ("身份证", "户口簿", "营业执照", "结婚证", "许可证", "执业证书", "资格证", "权证书", "社会保障卡", "残疾人证", "驾驶证", "行驶证", "批准文件", "资质证书", "学历证书", "完税凭证", "认可文件", "验收意见", "选址意见书", "备案文件", "监督检验证明", "等级证书", "注册证书", "登记证书", "退休审批表", "法律文书", "公证书")


def material_kind(name: str) -> str:
    """Classify a material by its name: agent / photo / form / intermediary / medical / gov / other."""
    if name in AGENT_MATERIALS:
        return "agent"
    if any(w in name for w in PHOTO_WORDS):
        return "photo"
    if "退休审批表" in name:
        return "gov"
    if name.endswith(FORM_ENDINGS):
        return "form"
    for kind, words in (("intermediary", INTERMEDIARY_WORDS), ("medical", MEDICAL_WORDS), ("gov", GOV_WORDS)):
        if any(w in name for w in words):
            return kind
    return "other"


def make_material(seq: int, spec: str | tuple[str, dict[str, str]]) -> Material:
    """A material with every field filled, derived from its name (overrides win)."""
    name, overrides = (spec, {}) if isinstance(spec, str) else spec
    kind = material_kind(name)
    values: dict[str, Any] = {
        "agent": dict(material_type="原件", material_form="纸质", copies="1份", necessity="非必要", source_channel="申请人自备" if name == "授权委托书" else "政府部门核发",
                      blank_form="《授权委托书》空白表格" if name == "授权委托书" else "无", sample_form="《授权委托书》填写示例" if name == "授权委托书" else "无", note="委托他人办理时提供"),
        "photo": dict(material_type="原件", material_form="纸质或电子", copies="2张", necessity="必要", source_channel="申请人自备", blank_form="无", sample_form="无", note="近期正面免冠彩色照片，白色背景"),
        "form": dict(material_type="原件", material_form="纸质或电子", copies="1份", necessity="必要", source_channel="申请人自备", blank_form=f"《{name}》空白表格",
                     sample_form=f"《{name}》填写示例", note="可在政务服务网下载，须申请人签字（盖章）"),
        "intermediary": dict(material_type="原件", material_form="纸质和电子", copies="1份", necessity="必要", source_channel="中介机构出具", blank_form="无", sample_form="无", note="由具备相应资质或者能力的机构出具"),
        "medical": dict(material_type="原件", material_form="纸质", copies="1份", necessity="必要", source_channel="其他", blank_form="无", sample_form="无", note="由医疗卫生机构出具"),
        "gov": dict(material_type="原件", material_form="纸质", copies="1份（核验后退回）", necessity="必要", source_channel="政府部门核发", blank_form="无", sample_form="无", note="可通过数据共享获取的，免于提交"),
        "other": dict(material_type="原件或复印件", material_form="纸质", copies="1份", necessity="必要", source_channel="申请人自备", blank_form="无", sample_form="无", note="复印件须申请人签字（盖章）确认"),
    }[kind]
    if "复印件" in name or "营业执照" in name:
        values.update(material_type="复印件", copies="1份", note="复印件须加盖公章；可通过数据共享获取的，免于提交")
    values.update(overrides)
    return Material(seq=seq, name=name, **values)


STEP_PLANS: dict[str, tuple[str, ...]] = {
    "01": ("受理", "审查", "决定", "送达"),
    "07": ("受理", "审核", "确认", "办结"),
    "05": ("受理", "审核", "审批", "发放"),
    "09": ("受理", "调查取证", "调解", "裁决", "送达"),
    "10": ("受理", "审核", "决定", "办结"),
    "11": ("受理", "备案", "办结"),
    "20": ("受理", "办理", "办结"),
}
STEP_TEXT: dict[str, tuple[str, str, str]] = {
    "受理": ("{window}窗口受理人员", "申请材料齐全、符合法定形式", "受理通知书或者一次性告知书"),
    "审查": ("{dept}业务科室审核人员", "申请人及申请材料符合法定条件和标准", "审查意见"),
    "审核": ("{dept}业务科室审核人员", "申请人及申请材料符合规定条件", "审核意见"),
    "调查取证": ("{dept}业务科室承办人员", "事实清楚、证据确实充分", "调查报告"),
    "调解": ("{dept}业务科室承办人员", "当事人自愿、合法", "调解书或者调解不成记录"),
    "决定": ("{dept}分管负责人", "审查意见合法、适当", "准予或者不予决定"),
    "确认": ("{dept}分管负责人", "审核意见合法、适当", "确认结果"),
    "审批": ("{dept}分管负责人", "审核意见合法、适当", "审批结果"),
    "裁决": ("{dept}负责人", "事实清楚、适用法律正确、程序合法", "行政裁决书"),
    "备案": ("{dept}业务科室经办人员", "备案材料齐全", "备案信息"),
    "办理": ("{dept}业务科室经办人员", "申请人符合办理条件", "办理结果"),
    "送达": ("{window}窗口发证人员", "按法定方式送达", "送达回证"),
    "办结": ("{window}窗口发证人员", "办理结果已告知申请人", "办结"),
    "发放": ("{dept}待遇发放岗位人员", "按核定标准足额发放", "待遇发放记录"),
}
MAIN_STEP = 1


def step_limits(names: tuple[str, ...], promise: TimeLimit, main: int = MAIN_STEP) -> list[TimeLimit]:
    """Split the promised limit over the steps: 1 unit per side step when it fits, the rest to review (``main``)."""
    if promise.unit == "即办":
        return [time_limit("即办") for _ in names]
    value = int(promise.value or 0)
    if promise.unit == "月":
        side = [time_limit("5个工作日")] * len(names)
        side[main] = time_limit(f"{max(value - 1, 1)}个月")
        return side
    side_each = 1 if value >= len(names) else 0
    values = [side_each] * len(names)
    values[main] = value - side_each * (len(names) - 1)
    return [TimeLimit(v, "即办" if v == 0 else promise.unit, limit_text(v, promise.unit)) for v in values]


def make_steps(tt: str, promise: TimeLimit, dept: Dept, agency: str) -> list[Step]:
    """办理流程 for a leaf from its item type and promised limit."""
    names = STEP_PLANS[tt]
    steps = []
    for seq, (name, limit) in enumerate(zip(names, step_limits(names, promise), strict=True), start=1):
        post, standard, result = STEP_TEXT[name]
        steps.append(Step(seq=seq, name=name, post=post.format(window=dept.window, dept=agency), standard=standard, result=result, time_limit=limit))
    return steps


def make_situations(specs: Any, materials: list[Material], enterprise: bool) -> list[Situation]:
    """Explicit situations, or 本人 / 委托代理人 when the leaf has a 授权委托书."""
    names = [m.name for m in materials]
    if specs is None:
        if "授权委托书" not in names:
            return []
        own = [n for n in names if n not in AGENT_MATERIALS]
        first = ("法定代表人（负责人）办理", "由法定代表人（负责人）本人办理") if enterprise else ("本人办理", "申请人本人办理")
        specs = (
            (*first, tuple(own), None),
            ("委托代理人办理", "委托他人代为办理，须提交授权委托书", tuple(names), None),
        )
    situations = []
    for name, description, chosen, promise in specs:
        unknown = [n for n in chosen if n not in names]
        if unknown:
            raise ValueError(f"situation {name}: unknown materials {unknown}")
        situations.append(Situation(name=name, description=description, materials=list(chosen), promised_limit=time_limit(promise) if promise else None))
    return situations


ONSITE_BY_TYPE = {
    "01": "需现场核验申请材料原件并领取纸质证照",
    "07": "需现场核验申请人身份及申请材料原件",
    "05": "需现场核验申请人身份信息",
    "09": "需当事人到场参加调查、调解",
    "10": "需现场核验申请材料原件",
    "11": "需现场核验备案材料原件",
    "20": "需现场核验申请人身份信息",
}
FORMS_BY_DEPTH = {"4": ["2", "3"], "3": ["1", "2", "3"], "2": ["1", "2"], "1": ["1", "4"]}


def first_law(basis: str) -> str:
    m = re.search(r"《[^》]+》", basis)
    return m.group(0) if m else "法律法规"


def consult_text(region: Region, dept: Dept) -> str:
    phone = f"{AREA_CODE}-{region.phone}{dept.num:04d}"
    return f"现场咨询：{region.hall}{dept.floor}{dept.window}窗口；电话咨询：{phone}；网上咨询：江淮市政务服务网“我要咨询”栏目"


def complaint_text(region: Region, dept: Dept, agency: str) -> str:
    return f"{region.name}12345政务服务便民热线：12345；{agency}监督电话：{AREA_CODE}-{region.phone}{dept.num + 5000:04d}"


def build_leaf(spec: ItemSpec, ls: LeafSpec, main_code: str, region: Region) -> Leaf:
    """One leaf item with every element filled for ``region``."""
    f = {**LEAF_DEFAULTS, **spec.common, **ls.fields}
    dept = DEPTS[f["agency"] or spec.dept]
    agency = agency_name(dept, region)
    uscc = agency_uscc(dept, region)
    basic = main_code if not ls.sub else main_code[:9] + ls.sub
    handling = basic + ls.handling if ls.handling else None
    code = impl_code(uscc, region.level, handling or basic)
    promise, legal = time_limit(f["promise"]), time_limit(f["legal"])
    depth = f["depth"]
    visits = f["visits"] if f["visits"] is not None else (0 if depth == "4" else 1)
    materials = [make_material(i, m) for i, m in enumerate(f["materials"], start=1)]
    if not 3 <= len(materials) <= 7:
        raise ValueError(f"{ls.name}: {len(materials)} materials")
    objects = list(f["objects"])
    fees = [Fee(item=i, standard=s, basis=b, reducible=r) for i, s, b, r in f["fees"]]
    result_name, result_type = f["result"]
    basis = f["basis"] or spec.basis
    instant = promise.unit == "即办"
    return Leaf(
        impl_code=code, basic_code=basic, main_code=main_code, handling_code=handling, name=ls.name,
        item_type=spec.tt, legal_basis=basis, exercise_level=list(spec.levels),
        power_source=None if spec.tt == "20" else (f["power"] or dept.power),
        agency=agency, agency_code=uscc, agency_nature=dept.nature,
        entrusting_dept=agency_name(DEPTS[dept.entrusted_by], region) if dept.entrusted_by else None,
        co_agencies=f["co"], service_object=objects, case_type="1" if instant else "2",
        conditions=f["conditions"] or f"申请人符合{first_law(basis)}规定的条件；申请材料齐全、符合法定形式。",
        handling_form=list(f["forms"] or FORMS_BY_DEPTH[depth]),
        legal_limit=legal, legal_limit_note=f["legal_note"], promised_limit=promise,
        promised_limit_note=f["promise_note"] or ("申请材料齐全、符合法定形式的，当场办结" if instant else "自受理之日起计算，不含特别程序时间"),
        visits=visits, onsite_reason=(f["onsite"] or ONSITE_BY_TYPE[spec.tt]) if visits > 0 else None,
        fee_charged=bool(fees), fee_standard="；".join(f"{fee.item}：{fee.standard}（依据{fee.basis}）" for fee in fees) or None,
        result_name=result_name, result_type=result_type, result_sample=f"{result_name}（样本）",
        special_procedures=f["special"], intermediary=f["intermediary"], quantity_limit="无数量限制",
        address=f"{region.hall}{dept.floor}{dept.window}窗口", office_hours=OFFICE_HOURS,
        consult=consult_text(region, dept), complaint=complaint_text(region, dept, agency),
        online=depth != "1", online_depth=depth, online_url=f"{region.portal}/item/{code}" if depth != "1" else None,
        situations=make_situations(f["situations"], materials, "1" not in objects),
        materials=materials, steps=make_steps(spec.tt, promise, dept, agency), fees=fees,
    )


def main_basic_code(spec: ItemSpec) -> str:
    """SS TT DD MMM + 00Y (has sub-items) or 000."""
    has_subs = any(ls.sub for ls in spec.leaves)
    return f"{spec.ss}{spec.tt}{DEPTS[spec.dept].dd}{spec.mmm}{'00Y' if has_subs else '000'}"


@dataclass
class Built:
    """A catalog under construction and its leaves by their city (spec) name."""

    catalog: Catalog
    leaves: dict[str, Leaf] = field(default_factory=dict)


def build_main(spec: ItemSpec, leaves: Iterable[LeafSpec], region: Region, built: Built) -> None:
    """Append one main item with the given leaves to ``built``."""
    code = main_basic_code(spec)
    main = MainItem(basic_code=code, name=spec.name, item_type=spec.tt, legal_basis=spec.basis, exercise_level=list(spec.levels),
                    department=agency_name(DEPTS[spec.dept], region))
    for ls in leaves:
        leaf_obj = build_leaf(spec, ls, code, region)
        main.leaves.append(leaf_obj)
        built.leaves[ls.fields.get("_key", ls.name)] = leaf_obj
    built.catalog.main_items.append(main)


def make_bundles(built: Built) -> list[Bundle]:
    """一件事 bundles whose members the catalog has (at least two members)."""
    bundles = []
    for name, members, promise, visits in BUNDLES:
        leaves = [built.leaves[m] for m in members if m in built.leaves]
        if len(leaves) < 2:
            continue
        materials = {m.name for lf in leaves for m in lf.materials if m.name not in AGENT_MATERIALS}
        bundles.append(Bundle(name=name, members=[lf.impl_code for lf in leaves], material_count=len(materials), step_count=3,
                              promised_limit=time_limit(promise), visits=visits))
    return bundles


def check_unique_codes(catalog: Catalog) -> None:
    codes = [m.basic_code for m in catalog.main_items]
    impls = [lf.impl_code for lf in catalog.iter_leaves()]
    if len(set(codes)) != len(codes) or len(set(impls)) != len(impls):
        raise ValueError("duplicate codes in the generated data")


def build_city() -> Catalog:
    """The city catalog (市级): every item, every leaf."""
    built = Built(Catalog(name="江淮市政务服务事项实施清单（市级）"))
    for spec in ITEMS:
        build_main(spec, spec.leaves, CITY, built)
    built.catalog.bundles = make_bundles(built)
    check_unique_codes(built.catalog)
    return built.catalog


# ---------------------------------------------------------------------------------------------
# Counties: drift and documented errors
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expected:
    """A documented error: the rule code, the record it sits on and the element it names."""

    code: str
    record: Any
    element: str
    note: str


Injector = Callable[[Built, Region], Expected]


@dataclass(frozen=True)
class CountyPlan:
    """How a county's catalog differs from the city's (drift) and which errors it carries."""

    region: Region
    skip_items: frozenset[str]
    skip_leaves: frozenset[str]
    renames: dict[str, str]
    add_materials: dict[str, tuple[str, ...]]
    drop_materials: dict[str, tuple[str, ...]]
    promises: dict[str, str]
    extra_items: tuple[ItemSpec, ...]
    errors: tuple[Injector, ...]


def drift_leaf(spec: ItemSpec, ls: LeafSpec, plan: CountyPlan) -> LeafSpec:
    """A county's version of a city leaf: renamed, materials added or dropped, a longer promise."""
    fields = dict(ls.fields, _key=ls.name)
    materials = list(fields.get("materials", spec.common.get("materials", ())))
    materials = [m for m in materials if (m if isinstance(m, str) else m[0]) not in plan.drop_materials.get(ls.name, ())]
    materials.extend(plan.add_materials.get(ls.name, ()))
    fields["materials"] = tuple(materials)
    if ls.name in plan.promises:
        fields["promise"] = plan.promises[ls.name]
    return LeafSpec(plan.renames.get(ls.name, ls.name), ls.sub, ls.handling, fields)


def build_county(plan: CountyPlan) -> tuple[Catalog, list[Expected]]:
    """A county catalog: claimed city items with drift, county-only items, then the documented errors."""
    region = plan.region
    built = Built(Catalog(name=f"{region.name}政务服务事项实施清单（县级）"))
    for spec in ITEMS:
        if "4" not in spec.levels or spec.name in plan.skip_items:
            continue
        leaves = [drift_leaf(spec, ls, plan) for ls in spec.leaves if ls.fields.get("county", True) and ls.name not in plan.skip_leaves]
        if leaves:
            build_main(spec, leaves, region, built)
    for spec in plan.extra_items:
        build_main(spec, spec.leaves, region, built)
    check_unique_codes(built.catalog)
    expected = [inject(built, region) for inject in plan.errors]
    built.catalog.bundles = make_bundles(built)
    return built.catalog, expected


def _leaf_error(name: str, code: str, element: str, note: str, change: Callable[[Leaf, Region], None]) -> Injector:
    def inject(built: Built, region: Region) -> Expected:
        target = built.leaves[name]
        change(target, region)
        return Expected(code, target, element, note)
    return inject


def _set(**values: Any) -> Callable[[Leaf, Region], None]:
    def change(target: Leaf, region: Region) -> None:
        for key, value in values.items():
            setattr(target, key, value)
    return change


def _wrong_check_digit(target: Leaf, region: Region) -> None:
    good = target.agency_code or ""
    bad = good[:17] + USCC_ALPHABET[(USCC_ALPHABET.index(good[17]) + 1) % len(USCC_ALPHABET)]
    target.agency_code = bad
    target.impl_code = (target.impl_code or "").replace(good, bad)
    target.online_url = f"{region.portal}/item/{target.impl_code}"


def _basic_code_typo(target: Leaf, region: Region) -> None:
    code = target.basic_code or ""
    typo = code[:8] + str((int(code[8]) + 1) % 10) + code[9:]
    target.basic_code = typo
    target.impl_code = impl_code(target.agency_code or "", region.level, typo)
    target.online_url = f"{region.portal}/item/{target.impl_code}"


def _city_uscc_in_impl(target: Leaf, region: Region) -> None:
    dept = next(d for d in DEPTS.values() if agency_name(d, region) == target.agency)
    target.impl_code = impl_code(agency_uscc(dept, CITY), region.level, target.handling_code or target.basic_code or "")
    target.online_url = f"{region.portal}/item/{target.impl_code}"


def _orphan_material(item_name: str, dept_key: str, material: str, note: str) -> Injector:
    """A 申请材料 row left over from an item the county did not claim."""
    def inject(built: Built, region: Region) -> Expected:
        spec = next(s for s in ITEMS if s.name == item_name)
        code = impl_code(agency_uscc(DEPTS[dept_key], region), region.level, main_basic_code(spec))
        record = make_material(1, material)
        built.catalog.orphans.materials.append((code, record))
        return Expected("orphan-material", record, "实施编码", note)
    return inject


def _situation_error(name: str, note: str) -> Injector:
    """The last situation of a leaf names a material the leaf does not have."""
    def inject(built: Built, region: Region) -> Expected:
        situation = built.leaves[name].situations[-1]
        situation.materials.append("受托人身份证件")
        return Expected("situation-material-unknown", situation, "情形材料", note)
    return inject


DONGHU_ONLY = (
    item(
        "zrzy", "01", "901", "乡村建设规划许可证核发",
        "《中华人民共和国城乡规划法》第四十一条：在乡、村庄规划区内进行乡镇企业、乡村公共设施和公益事业建设的，建设单位或者个人应当向乡、镇人民政府提出申请，由乡、镇人民政府报城市、县人民政府城乡规划主管部门核发乡村建设规划许可证。",
        ss="34", levels=("4",), promise="10个工作日", objects=("1", "2", "6"), result=("《乡村建设规划许可证》", "证照"),
        materials=("乡村建设规划许可申请表", "申请人身份证明", "宅基地或者集体建设用地权属证明", "建设工程设计方案", "村民委员会意见"),
    ),
    item(
        "nync", "01", "902", "水产苗种生产经营许可",
        "《中华人民共和国渔业法》第十六条第三款：水产苗种的生产由县级以上地方人民政府渔业行政主管部门审批。但是，渔业生产者自育、自用水产苗种的除外。",
        ss="34", levels=("4",), promise="15个工作日", objects=("1", "2", "6"), result=("《水产苗种生产许可证》", "证照"),
        special="现场核查：5个工作日（不计入承诺办结时限）",
        materials=("水产苗种生产申请表", "申请人身份证明或者营业执照", "生产场地使用证明", "水质检测报告", "技术人员资格证明"),
    ),
)

XISHAN_ONLY = (
    item(
        "ly", "01", "903", "林木采伐许可证核发",
        "《中华人民共和国森林法》第五十六条：采伐林地上的林木应当申请采伐许可证，并按照采伐许可证的规定进行采伐。",
        leaf("商品林采伐许可", "001", promise="5个工作日"),
        leaf("公益林更新采伐许可", "002", promise="10个工作日", special="伐前现场查验：5个工作日（不计入承诺办结时限）"),
        ss="34", levels=("4",), objects=("1", "2", "6"), result=("《林木采伐许可证》", "证照"),
        materials=("林木采伐申请表", "申请人身份证明", "林木权属证明", "采伐作业设计说明"),
    ),
    item(
        "ly", "01", "904", "森林防火期内在森林防火区野外用火审批",
        "《森林防火条例》第二十五条：森林防火期内，禁止在森林防火区野外用火。因防治病虫鼠害、冻害等特殊情况确需野外用火的，应当经县级人民政府批准，并按照要求采取防火措施，严防失火。",
        ss="34", levels=("4",), promise="3个工作日", objects=("1", "2", "6"), result=("野外用火批准书", "批文"),
        materials=("野外用火申请表", "申请人身份证明", "用火地点示意图", "防火措施方案"),
    ),
)

DONGHU_PLAN = CountyPlan(
    region=DONGHU,
    skip_items=frozenset({"公路超限运输许可", "道路旅客运输经营许可"}),
    skip_leaves=frozenset({"药品零售企业许可（换发）", "个人独资企业变更登记"}),
    renames={"食品经营许可（新办）": "食品经营许可证核发（新办）", "特种设备使用登记": "特种设备使用登记证核发", "高龄津贴给付": "八十周岁以上老年人高龄津贴发放"},
    add_materials={"公共场所卫生许可": ("从业人员健康合格证明",), "义务教育阶段学生转学": ("学生学籍信息表",)},
    drop_materials={"旅馆业特种行业许可证核发": ("旅馆安全防范设施设备清单",), "建筑工程施工许可证核发（新办）": ("建设资金已经落实承诺书",)},
    promises={"食品经营许可（变更）": "5个工作日", "医疗机构执业登记": "30日", "建设工程规划许可证核发": "10个工作日"},
    extra_items=DONGHU_ONLY,
    errors=(
        _leaf_error("建设工程竣工验收备案", "promise-exceeds-legal", "承诺办结时限", "承诺办结时限 7个工作日，长于法定办结时限 5个工作日",
                    _set(promised_limit=TimeLimit(7, "工作日", "7个工作日"))),
        _leaf_error("水产苗种生产经营许可", "uscc-check-digit", "实施主体编码", "东湖县农业农村局的统一社会信用代码末位校验码录错（实施编码随之录错）", _wrong_check_digit),
        _leaf_error("医师执业首次注册", "onsite-reason-missing", "必须现场办理原因说明", "到办事现场次数为 1，未填写必须现场办理原因说明", _set(onsite_reason=None)),
        _orphan_material("公路超限运输许可", "jt", "公路超限运输申请表", "东湖县未认领“公路超限运输许可”，申请材料表却留下了它的一行材料"),
        _leaf_error("内地居民结婚登记", "instant-case-mismatch", "办件类型", "承诺办结时限为即办，办件类型却填为承诺件", _set(case_type="2")),
        _leaf_error("旅馆业特种行业许可证核发", "schema-enum", "事项类型", "事项类型误写为“行政许诺”", _set(item_type="行政许诺")),
        _leaf_error("居民身份证补领", "fee-standard-missing", "收费依据及标准", "是否收费为“是”，收费依据及标准和收费表均为空", _set(fee_standard=None, fees=[])),
    ),
)

XISHAN_PLAN = CountyPlan(
    region=XISHAN,
    skip_items=frozenset({"住房租赁合同登记备案", "土地权属争议行政裁决", "民办学校办学许可"}),
    skip_leaves=frozenset({"社会团体注销登记", "丧葬补助金、抚恤金申领"}),
    renames={"无犯罪记录证明出具": "无犯罪记录证明开具", "城乡居民基本医疗保险参保登记": "城乡居民医保参保登记", "建筑工程施工许可证核发（延期）": "建筑工程施工许可证延期"},
    add_materials={"旅馆业特种行业许可证核发": ("旅馆平面布局图",)},
    drop_materials={"初级中学教师资格认定": ("普通话水平测试等级证书",), "特殊建设工程消防设计审查": ("特殊消防设计技术资料",)},
    promises={"基本养老金申领": "10个工作日", "建设用地规划许可证核发（划拨方式）": "10个工作日", "环境影响报告表审批": "20日"},
    extra_items=XISHAN_ONLY,
    errors=(
        _leaf_error("高龄津贴给付", "full-online-visits", "到办事现场次数", "网上办理深度为全程网办，到办事现场次数却为 1",
                    _set(visits=1, onsite_reason="需现场核验老年人身份信息")),
        _leaf_error("出生医学证明补发", "basic-code-main-mismatch", "基本编码", "子项基本编码第9位录错，前9位与主项不同（实施编码随之录错）", _basic_code_typo),
        _leaf_error("公章刻制备案", "impl-code-missing-uscc", "实施编码", "实施编码照抄了市公安局的统一社会信用代码，不含西山县公安局的代码", _city_uscc_in_impl),
        _situation_error("食品经营许可（新办）", "情形“委托代理人办理”列了“受托人身份证件”，该事项的申请材料中没有这项材料"),
        _leaf_error("特种设备使用登记", "schema-required", "办理地点", "办理地点为空", _set(address=None)),
        _leaf_error("不动产更正登记", "entrusting-dept-missing", "委托部门", "实施主体为受委托组织（西山县不动产登记中心），委托部门为空", _set(entrusting_dept=None)),
        _leaf_error("公共场所卫生许可", "power-source-missing", "权力来源", "行政许可事项未填写权力来源", _set(power_source=None)),
    ),
)

COUNTIES: tuple[tuple[str, CountyPlan], ...] = (
    ("县级目录-东湖县.xlsx", DONGHU_PLAN),
    ("县级目录-西山县.xlsx", XISHAN_PLAN),
)

# ---------------------------------------------------------------------------------------------
# Baseline: the 2021 version of the city catalog (before the reform), for ``catalog reduce``
# ---------------------------------------------------------------------------------------------

BASELINE_FILE = "市级目录-2021版.xlsx"

# (a) 2021: the road-transport items were implemented by the 道路运输管理处 (an authorized
# organization with its own USCC), merged into the 交通运输局 by the 2022 restructuring; same basic
# codes, different impl codes.
YGC = Dept("ygc", "道路运输管理处", "20", 1120, "道路运输", "三楼C区", prefix="12", nature="2")
BASELINE_AGENCY_MOVES: dict[str, Dept] = {
    "道路危险货物运输许可": YGC,
    "道路运输从业人员从业资格证补发": YGC,
    "道路运输从业人员从业资格证换发": YGC,
}
# (b) 2021: other basic codes (renumbered main item; 公章刻制备案 was typed 其他行政权力), names written
# with half-width brackets or a stray space: matched by normalized name only.
BASELINE_RECODES: dict[str, tuple[str, str, str]] = {  # current name: (2021 name, 2021 basic code, 2021 item type)
    "职工正常退休（职）申请": ("职工正常退休(职)申请", "000716402000", "07"),
    "公章刻制备案": ("公章刻制 备案", "341010121000", "10"),
}
# (d) items that are new since 2021 (no baseline counterpart).
BASELINE_NEW_ITEMS = frozenset({"专利侵权纠纷行政裁决", "住房租赁合同登记备案"})
# (c) leaves that exist only in 2021 (cancelled or merged later): under an existing main item
# (current main name → leaves) or as their own main items.
BASELINE_CANCELLED_LEAVES: dict[str, tuple[LeafSpec, ...]] = {
    "户口登记": (
        leaf("户口迁出登记", "004", promise="3个工作日", result=("户口迁移证", "证照"),
             basis="《中华人民共和国户口登记条例》第十条：公民迁出本户口管辖区，由本人或者户主在迁出前向户口登记机关申报迁出登记，领取迁移证件，注销户口。",
             materials=("户口迁出申请表", "居民户口簿", "居民身份证", "准予迁入证明")),
    ),
    "社会保险登记": (
        leaf("社会保险登记证补发", "003", promise="5日", depth="3", result=("《社会保险登记证》", "证照"),
             materials=("社会保险登记证补发申请表", "营业执照", "社会保险登记证遗失声明")),
    ),
}
BASELINE_CANCELLED_ITEMS: tuple[ItemSpec, ...] = (
    item(
        "wj", "10", "640", "再生育审批",
        "《安徽省人口与计划生育条例》（2021年修正前）第二十三条：符合本条例规定条件要求再生育一个子女的夫妻，应当向女方或者男方户籍所在地的乡镇人民政府、街道办事处提出申请，由县级以上人民政府卫生健康主管部门审批。",
        ss="34", legal="30个工作日", promise="20个工作日", result=("再生育审批决定书", "批文"),
        materials=("再生育申请审批表", "夫妻双方居民身份证", "夫妻双方居民户口簿", "结婚证", "现有子女情况证明"),
    ),
    item(
        "rs", "20", "340", "技能人员职业资格证书核发",
        "《中华人民共和国劳动法》第六十九条：国家确定职业分类，对规定的职业制定职业技能标准，实行职业资格证书制度，由经备案的考核鉴定机构负责对劳动者实施职业技能考核鉴定。",
        legal="无", promise="10个工作日", result=("《职业资格证书》", "证照"),
        materials=("职业资格证书申领表", "居民身份证", "职业技能鉴定合格成绩单", "近期免冠证件照"),
    ),
)

# Materials the 2021 version asked for on top of today's (all 必要): (name, conflict) — skipped when
# an existing material name contains ``conflict``. Persons, organizations, and items open to both.
PERSON_EXTRAS = (("居民身份证复印件", "身份证复印件"), ("居民户口簿复印件", "户口簿复印件"), ("申请人承诺书", "承诺书"),
                 ("社区（村）居民委员会出具的证明", "居民委员会"))
ORG_EXTRAS = (("营业执照复印件", "营业执照"), ("单位介绍信", "介绍信"), ("经办人身份证复印件", "经办人"), ("申请人承诺书", "承诺书"))
MIXED_EXTRAS = (("申请人身份证明复印件", "身份证明复印件"), ("申请人承诺书", "承诺书"), ("经办人身份证复印件", "经办人"))
NO_CRIME_EXTRAS: dict[str, str] = {
    "旅馆业特种行业许可证核发": "法定代表人（负责人）无犯罪记录证明",
    "道路旅客运输经营许可": "驾驶员无犯罪记录证明",
    "道路危险货物运输许可": "驾驶人员、押运人员无犯罪记录证明",
    "医师执业首次注册": "无犯罪记录证明",
    "高级中学教师资格认定": "无犯罪记录证明",
    "初级中学教师资格认定": "无犯罪记录证明",
    "民办学校设立": "举办者无犯罪记录证明",
    "社会团体成立登记": "拟任负责人无犯罪记录证明",
}
EXTRA_MATERIAL_CYCLE = (2, 1, 3, 1, 2, 0)  # leaves at index ≡ 5 (mod 6) keep today's materials
EXTRA_STEP_CYCLE = (1, 0, 2, 0, 0, 1, 0)  # 1: 初审 before the review; 2: also 复审 after it
BASELINE_STEP_TEXT: dict[str, tuple[str, str, str]] = {
    "初审": ("{dept}业务科室初审人员", "申请材料真实、完整，符合规定要求", "初审意见"),
    "复审": ("{dept}业务科室复审人员", "初审意见合法、适当", "复审意见"),
}
TWO_VISITS = "首次到现场提交纸质申请材料并核验原件，办结后再次到现场领取办理结果"


def baseline_extras(target: Leaf, index: int) -> list[str]:
    """The names of the 1–3 required materials the 2021 version asked for on top of today's."""
    count = EXTRA_MATERIAL_CYCLE[index % len(EXTRA_MATERIAL_CYCLE)]
    names = [m.name or "" for m in target.materials]
    chosen: list[str] = []
    special = NO_CRIME_EXTRAS.get(target.name or "")
    if special and not any("无犯罪记录证明" in n for n in names):
        chosen.append(special)
        count = max(count, 1)
    objects = set(target.service_object)
    pool = PERSON_EXTRAS if objects == {"1"} else MIXED_EXTRAS if "1" in objects else ORG_EXTRAS
    # no licence copy before the enterprise exists, nor from organizations that have none
    no_licence = "2" not in objects or any(word in (target.name or "") for word in ("设立", "成立"))
    for offset in range(len(pool)):
        if len(chosen) >= count:
            break
        name, conflict = pool[(index + offset) % len(pool)]
        if not any(conflict in n for n in names + chosen) and not (name == "营业执照复印件" and no_licence):
            chosen.append(name)
    return chosen


def longer_promise(promise: TimeLimit, legal: TimeLimit, index: int) -> TimeLimit:
    """The 2021 promise: 即办 was 1–3 days; otherwise twice today's, never above the legal limit, same unit."""
    if promise.unit == "即办":
        unit = legal.unit if legal.unit in ("工作日", "自然日") else "工作日"
        value = 1 + index % 3
    else:
        unit, value = promise.unit or "工作日", int(promise.value or 0) * 2
    if legal.unit == unit and legal.value is not None:
        value = min(value, int(legal.value))
    return time_limit(limit_text(value, unit))


def baseline_steps(tt: str, extra: int, promise: TimeLimit, dept: Dept, agency: str) -> list[Step]:
    """办理流程 of 2021: today's plan with 初审 (and 复审) around the review step, the promise split again."""
    names = list(STEP_PLANS[tt])
    review = names[MAIN_STEP]
    if extra >= 1:
        names.insert(MAIN_STEP, "初审")
    if extra >= 2:
        names.insert(names.index(review) + 1, "复审")
    limits = step_limits(tuple(names), promise, names.index(review))
    steps = []
    for seq, (name, limit) in enumerate(zip(names, limits, strict=True), start=1):
        post, standard, result = {**STEP_TEXT, **BASELINE_STEP_TEXT}[name]
        steps.append(Step(seq=seq, name=name, post=post.format(window=dept.window, dept=agency), standard=standard, result=result, time_limit=limit))
    return steps


def dept_of(target: Leaf) -> Dept:
    return next(d for d in (*DEPTS.values(), YGC) if agency_name(d, CITY) == target.agency)


def move_agency(target: Leaf, dept: Dept) -> None:
    """(a) Another implementing agency: new USCC, so a new impl code over the same basic code."""
    target.agency, target.agency_code, target.agency_nature = agency_name(dept, CITY), agency_uscc(dept, CITY), dept.nature
    target.entrusting_dept = agency_name(DEPTS[dept.entrusted_by], CITY) if dept.entrusted_by else None
    target.impl_code = impl_code(target.agency_code, CITY.level, target.handling_code or target.basic_code or "")
    target.address = f"{CITY.hall}{dept.floor}{dept.window}窗口"
    target.consult, target.complaint = consult_text(CITY, dept), complaint_text(CITY, dept, target.agency)


def recode(main: MainItem, name: str, code: str, tt: str) -> None:
    """(b) A single-leaf main item under another basic code (and type), its name written differently."""
    main.name, main.basic_code, main.item_type = name, code, tt
    for target in main.leaves:
        target.name, target.basic_code, target.main_code, target.item_type = name, code, code, tt
        target.power_source = None if tt in ("20", "99") else (target.power_source or "1")
        target.impl_code = impl_code(target.agency_code or "", CITY.level, code)


def to_2021(target: Leaf, index: int) -> None:
    """Today's leaf as it was in 2021: more materials, longer promise, more steps and visits, less online."""
    extras = baseline_extras(target, index)
    for name in extras:
        material = make_material(0, name)
        material.necessity = "必要"
        if "无犯罪记录证明" in name:
            material.source_channel, material.note = "政府部门核发", "由公安机关出具"
        target.materials.append(material)
    for seq, material in enumerate(target.materials, start=1):
        material.seq = seq
    for situation in target.situations:
        situation.materials.extend(extras)
        if situation.promised_limit is not None and target.legal_limit is not None:
            situation.promised_limit = longer_promise(situation.promised_limit, target.legal_limit, index)
    assert target.promised_limit is not None and target.legal_limit is not None
    target.promised_limit = longer_promise(target.promised_limit, target.legal_limit, index)
    target.case_type = "2"
    target.promised_limit_note = "自受理之日起计算，不含特别程序时间"
    if target.visits == 0 and index % 2 == 0:
        target.visits, target.online_depth = 1, "3"
        target.onsite_reason = ONSITE_BY_TYPE[target.item_type or "20"]
    elif target.visits == 1 and index % 3 != 2:
        target.visits, target.onsite_reason = 2, TWO_VISITS
    elif target.visits == 1 and target.online_depth == "3":
        target.online_depth = "2"
    target.handling_form = list(FORMS_BY_DEPTH[target.online_depth or "3"])
    dept = dept_of(target)
    target.steps = baseline_steps(target.item_type or "20", EXTRA_STEP_CYCLE[index % len(EXTRA_STEP_CYCLE)], target.promised_limit, dept, target.agency or "")
    target.online_url = f"{CITY.portal}/item/{target.impl_code}"


def build_baseline(city: Catalog) -> Catalog:
    """The 2021 version of the city catalog, derived from today's (``build_city()``), before the reform.

    Every kept leaf goes through :func:`to_2021`; (a) three leaves had another agency (same basic
    code, other impl code), (b) two were coded and written differently (matched by name only),
    (c) four leaves were later cancelled or merged (baseline only), (d) two items are new since
    (current only). No bundles: they belong to the current catalog.
    """
    base = copy.deepcopy(city)
    base.name = "江淮市政务服务事项实施清单（市级，2021年版）"
    base.bundles = []
    base.main_items = [m for m in base.main_items if m.name not in BASELINE_NEW_ITEMS]
    for main in base.main_items:
        for target in main.leaves:
            if target.name in BASELINE_AGENCY_MOVES:
                move_agency(target, BASELINE_AGENCY_MOVES[target.name])
        if main.name in BASELINE_RECODES:
            recode(main, *BASELINE_RECODES[main.name])
    by_name = {m.name: m for m in base.main_items}
    for main_name, specs in BASELINE_CANCELLED_LEAVES.items():
        main = by_name[main_name]
        spec = next(s for s in ITEMS if s.name == main_name)
        main.leaves.extend(build_leaf(spec, ls, main.basic_code or "", CITY) for ls in specs)
    for spec in BASELINE_CANCELLED_ITEMS:
        department = agency_name(DEPTS[spec.dept], CITY)
        position = max(i for i, m in enumerate(base.main_items) if m.department == department) + 1
        built = Built(Catalog())
        build_main(spec, spec.leaves, CITY, built)
        base.main_items.insert(position, built.catalog.main_items[0])
    cancelled = {ls.name for specs in BASELINE_CANCELLED_LEAVES.values() for ls in specs} | {ls.name for s in BASELINE_CANCELLED_ITEMS for ls in s.leaves}
    kept = [lf for lf in base.iter_leaves() if lf.name not in cancelled]
    for index, target in enumerate(kept):
        to_2021(target, index)
    check_unique_codes(base)
    return base


# ---------------------------------------------------------------------------------------------
# Rows and output
# ---------------------------------------------------------------------------------------------


def sheet_records(catalog: Catalog) -> dict[str, list[Any]]:
    """The records of each sheet in the order the workbook writer puts them (row = index + 2)."""
    leaves = list(catalog.iter_leaves())
    out: dict[str, list[Any]] = {"主项": list(catalog.main_items), "子项": leaves}
    for sheet, attr in (("办理情形", "situations"), ("申请材料", "materials"), ("办理流程", "steps"), ("收费", "fees")):
        out[sheet] = [child for lf in leaves for child in getattr(lf, attr)] + [child for _, child in getattr(catalog.orphans, attr)]
    out["一件事"] = list(catalog.bundles)
    return out


def locate(catalog: Catalog, record: Any) -> tuple[str, int]:
    """The sheet and Excel row the writer gives ``record``."""
    for sheet, records in sheet_records(catalog).items():
        for index, candidate in enumerate(records):
            if candidate is record:
                return sheet, index + 2
    raise LookupError(f"record not in catalog: {record!r}")


def expected_rows(catalog: Catalog, expected: list[Expected]) -> list[dict[str, Any]]:
    """The documented errors as written to ``expected/<stem>.json``, in sheet and row order."""
    rows = []
    for exp in expected:
        sheet, row = locate(catalog, exp.record)
        rows.append({"code": exp.code, "sheet": sheet, "row": row, "element": exp.element})
    return sorted(rows, key=lambda r: (SHEETS.index(r["sheet"]), r["row"]))


def expected_notes(catalog: Catalog, expected: list[Expected]) -> list[tuple[str, str, int, str, str]]:
    """(code, sheet, row, element, note) for the README table."""
    out = []
    for exp in expected:
        sheet, row = locate(catalog, exp.record)
        out.append((exp.code, sheet, row, exp.element, exp.note))
    return sorted(out, key=lambda r: (SHEETS.index(r[1]), r[2]))


def write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def generate(outdir: Path | str = HERE) -> list[Path]:
    """Write the sample workbooks (city, its 2021 baseline, counties, messy renderings) and their expected-error files into ``outdir``."""
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    written = []
    city = build_city()
    write_workbook(city, outdir / CITY_FILE)
    written += generate_messy(read_catalog([outdir / CITY_FILE]).catalog, outdir)
    write_json(outdir / "expected" / f"{Path(CITY_FILE).stem}.json", [])
    written += [outdir / CITY_FILE, outdir / "expected" / f"{Path(CITY_FILE).stem}.json"]
    write_workbook(build_baseline(city), outdir / BASELINE_FILE)
    write_json(outdir / "expected" / f"{Path(BASELINE_FILE).stem}.json", [])
    written += [outdir / BASELINE_FILE, outdir / "expected" / f"{Path(BASELINE_FILE).stem}.json"]
    for filename, plan in COUNTIES:
        catalog, expected = build_county(plan)
        write_workbook(catalog, outdir / filename)
        target = outdir / "expected" / f"{Path(filename).stem}.json"
        write_json(target, expected_rows(catalog, expected))
        written += [outdir / filename, target]
    return written


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        print("用法：python samples/make_samples.py [输出目录]", file=sys.stderr)
        return 2
    for path in generate(Path(args[0]) if args else HERE):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
