"""Catalog-wide rules (catalog_cli/checks/tree.py): duplicates, orphans, one USCC per agency and
bundle members.
"""

from __future__ import annotations

from conftest import IMPL_1, IMPL_3, USCC_C
from helpers import findings_of, located, validate_files


def test_duplicate_implementation_code_names_the_first(rows, write):
    rows["子项"][1]["实施编码"] = IMPL_1
    found = [f for f in findings_of(write(rows)) if f.code == "duplicate-impl-code"]
    assert [(f.sheet, f.row) for f in found] == [("子项", 3)]
    assert "第2行" in found[0].message


def test_duplicate_across_two_files_is_reported_with_both_files(rows, write):
    first = write(rows, "市级.xlsx")
    second = write(rows, "副本.xlsx")
    report = validate_files([first, second])
    dups = [f for f in report.findings if f.code == "duplicate-impl-code"]
    assert {f.file for f in dups} == {str(second)}
    assert len(dups) == 3 and str(first) in dups[0].message


def test_duplicate_basic_code_of_main_items(rows, write):
    rows["主项"].append(dict(rows["主项"][1]))
    assert ("duplicate-basic-code", "主项", 4, "基本编码") in located(findings_of(write(rows)))


def test_orphans_at_their_rows(rows, write):
    rows["子项"][2]["主项编码"] = "340799999000"
    rows["申请材料"].append(
        {"实施编码": "NOSUCHCODE", "序号": 1, "材料名称": "申请书", "是否必需": "必要"}
    )
    rows["办理流程"].append({"实施编码": "NOSUCHCODE", "序号": 1, "环节名称": "受理"})
    rows["办理情形"].append({"实施编码": "NOSUCHCODE", "情形名称": "本人办理"})
    rows["收费"] = [{"实施编码": "NOSUCHCODE", "收费项目": "工本费", "收费标准": "10元"}]
    found = located(findings_of(write(rows)))
    assert ("orphan-fee", "收费", 2, "实施编码") in found
    assert ("orphan-leaf", "子项", 4, "主项编码") in found
    assert ("orphan-material", "申请材料", 11, "实施编码") in found
    assert ("orphan-step", "办理流程", 11, "实施编码") in found
    assert ("orphan-situation", "办理情形", 4, "实施编码") in found


def test_one_agency_one_uscc(rows, write):
    rows["子项"][2]["实施主体"] = "江淮市市场监督管理局"
    found = [f for f in findings_of(write(rows)) if f.code == "agency-code-conflict"]
    assert [(f.row, f.value) for f in found] == [(4, rows["子项"][2]["实施主体编码"])]


def test_bundle_members_must_exist(rows, write):
    rows["一件事"] = [
        {
            "一件事名称": "开办餐馆一件事",
            "成员实施编码": f"{IMPL_1}；{IMPL_3}",
            "申请材料数": 4,
            "办理环节数": 2,
            "承诺办结时限": "3个工作日",
            "到办事现场次数": 1,
        }
    ]
    assert "bundle-member-missing" not in {f.code for f in findings_of(write(rows, "ok.xlsx"))}
    rows["一件事"][0]["成员实施编码"] = f"{IMPL_1}；{USCC_C}3340164213009"
    found = [f for f in findings_of(write(rows, "bad.xlsx")) if f.code == "bundle-member-missing"]
    assert [(f.sheet, f.row, f.value) for f in found] == [("一件事", 2, f"{USCC_C}3340164213009")]
