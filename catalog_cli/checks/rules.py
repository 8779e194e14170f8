"""Cross-field rules on one leaf item: time limits, 即办, visits, fees, entrustment, situations."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

from catalog_cli.model import Leaf, TimeLimit
from catalog_cli.model.findings import Finding, make_finding
from catalog_cli.model.text import fold_name
from catalog_cli.schema import load_schema

NON_POWER_TYPES = ("20", "99")
FULL_ONLINE = "4"
INSTANT_CASE = "1"


def _title(key: str) -> str:
    return load_schema().records["leaf"].fields[key].title


def _leaf_finding(
    leaf: Leaf, code: str, key: str, message: str, value: object = None, severity: str = "error"
) -> Finding:
    return make_finding(
        code,
        severity,
        leaf.source,
        message,
        element=_title(key),
        key=key,
        item=leaf.label,
        value=value,
    )


def _is_instant(limit: TimeLimit) -> bool:
    return limit.unit == "即办" or (limit.unit is not None and limit.value == 0)


def promise_within_legal(leaf: Leaf) -> Iterator[Finding]:
    """承诺办结时限 ≤ 法定办结时限 in the same unit; different units are their own finding."""
    legal, promised = leaf.legal_limit, leaf.promised_limit
    if (
        not legal
        or not promised
        or legal.value is None
        or promised.value is None
        or not legal.unit
        or not promised.unit
    ):
        return
    if legal.unit != promised.unit and not _is_instant(promised):
        yield _leaf_finding(
            leaf,
            "limit-unit-mismatch",
            "promised_limit",
            f"承诺办结时限（{promised.text or promised.unit}）"
            f"与法定办结时限（{legal.text or legal.unit}）单位不同，无法比较：请统一为同一单位",
            promised,
            "warning",
        )
    elif promised.value > legal.value:
        yield _leaf_finding(
            leaf,
            "promise-exceeds-legal",
            "promised_limit",
            f"承诺办结时限（{promised.text}）超过法定办结时限（{legal.text}）：承诺时限不得长于法定时限",
            promised,
        )


def instant_matches_case_type(leaf: Leaf) -> Iterator[Finding]:
    """即办 ⇔ 办件类型 即办件."""
    promised = leaf.promised_limit
    if (
        not promised
        or promised.unit is None
        or leaf.case_type not in load_schema().tables["case_type"].codes
    ):
        return
    if _is_instant(promised) and leaf.case_type != INSTANT_CASE:
        yield _leaf_finding(
            leaf,
            "instant-case-mismatch",
            "case_type",
            "承诺办结时限为即办，办件类型应为“即办件”",
            leaf.case_type and load_schema().tables["case_type"].label(leaf.case_type),
        )
    elif leaf.case_type == INSTANT_CASE and not _is_instant(promised):
        yield _leaf_finding(
            leaf,
            "instant-case-mismatch",
            "promised_limit",
            f"办件类型为即办件，承诺办结时限应为“即办”，现为“{promised.text}”",
            promised,
        )


def onsite_reason_given(leaf: Leaf) -> Iterator[Finding]:
    """到办事现场次数 > 0 ⇒ 必须现场办理原因说明."""
    if isinstance(leaf.visits, int) and leaf.visits > 0 and not leaf.onsite_reason:
        yield _leaf_finding(
            leaf,
            "onsite-reason-missing",
            "onsite_reason",
            f"到办事现场次数为 {leaf.visits}，须填写必须现场办理原因说明",
        )


def full_online_no_visits(leaf: Leaf) -> Iterator[Finding]:
    """全程网办 ⇒ 0 visits."""
    if leaf.online_depth == FULL_ONLINE and isinstance(leaf.visits, int) and leaf.visits > 0:
        yield _leaf_finding(
            leaf,
            "full-online-visits",
            "visits",
            f"网上办理深度为全程网办，到办事现场次数应为 0，现为 {leaf.visits}",
            leaf.visits,
        )


def fee_basis_given(leaf: Leaf) -> Iterator[Finding]:
    """是否收费 = 是 ⇒ 收费依据及标准; 否 with fee rows is suspicious."""
    if leaf.fee_charged is True and not leaf.fee_standard and not leaf.fees:
        yield _leaf_finding(
            leaf, "fee-standard-missing", "fee_standard", "是否收费为“是”，须填写收费依据及标准"
        )
    elif leaf.fee_charged is False and leaf.fees:
        yield _leaf_finding(
            leaf,
            "fee-rows-not-charged",
            "fee_charged",
            f"是否收费为“否”，但收费表中有 {len(leaf.fees)} 条收费项目",
            False,
            "warning",
        )


def entrusting_dept_given(leaf: Leaf) -> Iterator[Finding]:
    """受委托组织 or 委托 power source ⇒ 委托部门."""
    if leaf.entrusting_dept:
        return
    if leaf.agency_nature == "3":
        yield _leaf_finding(
            leaf,
            "entrusting-dept-missing",
            "entrusting_dept",
            "实施主体性质为受委托组织，须填写委托部门",
        )
    elif leaf.power_source in ("5", "6"):
        label = load_schema().tables["power_source"].label(leaf.power_source)
        yield _leaf_finding(
            leaf, "entrusting-dept-missing", "entrusting_dept", f"权力来源为{label}，须填写委托部门"
        )


def power_source_given(leaf: Leaf) -> Iterator[Finding]:
    """行政权力事项 must state 权力来源."""
    types = load_schema().tables["item_type"].codes
    if leaf.item_type in types and leaf.item_type not in NON_POWER_TYPES and not leaf.power_source:
        label = load_schema().tables["item_type"].label(leaf.item_type)
        yield _leaf_finding(
            leaf,
            "power-source-missing",
            "power_source",
            f"事项类型为{label}（行政权力事项），须填写权力来源",
        )


def situation_materials_subset(leaf: Leaf) -> Iterator[Finding]:
    """A situation's materials are a subset of its leaf's materials."""
    known = {fold_name(m.name) for m in leaf.materials if m.name}
    title = load_schema().records["situation"].fields["materials"].title
    for situation in leaf.situations:
        unknown = [name for name in situation.materials if fold_name(name) not in known]
        if unknown:
            yield make_finding(
                "situation-material-unknown",
                "error",
                situation.source,
                f"情形“{situation.name}”所列材料不在该事项的申请材料中：{'；'.join(unknown)}",
                element=title,
                key="materials",
                item=leaf.label,
                value="；".join(unknown),
            )


def children_unique(leaf: Leaf) -> Iterator[Finding]:
    """序号 of materials and steps, and situation names, are unique within a leaf."""
    schema = load_schema()
    for attr, record in (("materials", "material"), ("steps", "step")):
        counts = Counter(child.seq for child in getattr(leaf, attr) if child.seq is not None)
        seen: set[object] = set()
        for child in getattr(leaf, attr):
            if counts.get(child.seq, 0) > 1 and child.seq in seen:
                yield make_finding(
                    "duplicate-seq",
                    "error",
                    child.source,
                    f"{schema.records[record].title}序号 {child.seq} 在同一事项中重复",
                    element=schema.records[record].fields["seq"].title,
                    key="seq",
                    item=leaf.label,
                    value=child.seq,
                )
            seen.add(child.seq)
    names: set[str] = set()
    for situation in leaf.situations:
        if situation.name and situation.name in names:
            yield make_finding(
                "duplicate-situation",
                "error",
                situation.source,
                f"办理情形“{situation.name}”在同一事项中重复",
                element=schema.records["situation"].fields["name"].title,
                key="name",
                item=leaf.label,
                value=situation.name,
            )
        names.add(situation.name or "")


LEAF_RULES: tuple[Callable[[Leaf], Iterator[Finding]], ...] = (
    promise_within_legal,
    instant_matches_case_type,
    onsite_reason_given,
    full_online_no_visits,
    fee_basis_given,
    entrusting_dept_given,
    power_source_given,
    situation_materials_subset,
    children_unique,
)


def check_leaf(leaf: Leaf) -> list[Finding]:
    """Every cross-field finding for one leaf."""
    return [finding for rule in LEAF_RULES for finding in rule(leaf)]
