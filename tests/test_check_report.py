"""Issue 13, «reports a person can read»: the text of ``swp check`` (and the «not in force» answer of ``swp fee``).

A small test pack («tland») has one rule per thing the report must show: a hard failure, a pass
whose detail carries an identifier, a soft preference not met, an unknown, a library-policy rule,
and rules that do not apply. The national layer is loaded under it, as for any region. The last
tests run the installed packs on the documentation's example case. Expected figures are counted
from the verdict itself, never copied from a run.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import socialwork_procurement as swp
from socialwork_procurement.cli import _rules as rules_cli
from socialwork_procurement.cli._main import main
from socialwork_procurement.cli._output import source_text, verdict_text
from socialwork_procurement.cli._wrap import colour_enabled, text_width, wrap
from socialwork_procurement.export._json import verdict_json
from socialwork_procurement.export._names import NAMES, localize_identifiers, name
from socialwork_procurement.rules._rules import Basis

ROOT = Path(__file__).resolve().parents[1]
ON = date(2021, 6, 1)
SOURCE = swp.Source(file="007_0123456789abcdef.txt", title="报告地区购买社会工作服务办法", number="报〔2020〕7号")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
ANSI = re.compile(r"\x1b\[[0-9;]*m")
RULE_ID = re.compile(r"\b[a-z0-9_]+(?:\.[a-z0-9_]+)+\b")
JSON_PATH = re.compile(r"\$[.\w\[\]*]*")


# -- the test pack ---------------------------------------------------------------------------------------------------


def _purchaser_kind(case: swp.Case, on: date) -> swp.RuleResult:
    p = case.purchaser
    if p is None:
        return swp.not_applicable("$.purchaser", "no purchaser in the case", "案件未包含购买主体")
    if p.kind is swp.PurchaserKind.ENTERPRISE:
        return swp.failed("$.purchaser.kind", "enterprise is not a listed purchaser", "enterprise 不在所列购买主体内")
    return swp.passed("$.purchaser.kind")


def _legal_form(case: swp.Case, on: date) -> swp.RuleResult:
    c = case.contractor
    if c is None:
        return swp.not_applicable("$.contractor", "no contractor in the case", "案件未包含承接主体")
    form = c.legal_form.value  # a pack's detail with an identifier in it, as real packs write them
    return swp.passed("$.contractor.legal_form", f"{form} is on the list", f"{form} 在所列类型内")


def _grade(case: swp.Case, on: date) -> swp.RuleResult:
    c = case.contractor
    if c is None:
        return swp.not_applicable("$.contractor")
    if c.evaluation_grade is None:
        return swp.failed("$.contractor.evaluation_grade", "no evaluation grade", "无评估等级")
    return swp.passed("$.contractor.evaluation_grade")


def _team(case: swp.Case, on: date) -> swp.RuleResult:
    c = case.contractor
    if c is None:
        return swp.not_applicable("$.contractor")
    if c.staff is None or c.staff.professional_team is None:
        return swp.unknown("$.contractor.staff.professional_team")
    return swp.passed("$.contractor.staff.professional_team")


def _terms(case: swp.Case, on: date) -> swp.RuleResult:
    k = case.contract
    if k is None:
        return swp.not_applicable("$.contract", "no contract in the case", "案件未包含合同")
    stated = k.stated_terms or frozenset()
    if swp.ContractTerm.BREACH_LIABILITY not in stated:
        return swp.failed("$.contract.stated_terms", "missing: breach_liability", "缺少:breach_liability")
    return swp.passed("$.contract.stated_terms")


def _signed(case: swp.Case, on: date) -> swp.RuleResult:
    k = case.contract
    if k is None or k.signed_on is None:
        return swp.not_applicable("$.contract.signed_on", "no signing day", "未提供签订日期")
    if k.signed_on > on:
        return swp.failed("$.contract.signed_on", "signed after the day asked", "签订日期晚于所问日期")
    return swp.passed("$.contract.signed_on")


def _evaluations(case: swp.Case, on: date) -> swp.RuleResult:
    if not case.evaluations:
        return swp.not_applicable("$.evaluations", "no evaluation on record", "未见评估记录")
    return swp.passed("$.evaluations")


def _make(
    rule_id: str,
    predicate: swp.Predicate,
    subject: swp.Subject,
    *,
    strength: swp.Strength = swp.Strength.HARD,
    basis: Basis = Basis.SOURCE,
    quote: str,
) -> swp.Rule:
    note = "the source does not state it: the library's policy" if basis is Basis.LIBRARY_POLICY else None
    return swp.Rule(
        rule_id=rule_id, region="tland", kind=swp.RuleKind.CONTRACTOR_ELIGIBILITY, strength=strength,
        subject=subject, effective_from=date(2010, 1, 1), effective_to=None,
        citation=swp.Citation(SOURCE, quote, note=note), message_zh=f"测试规则:{quote}",
        message_en=f"test rule {rule_id.split('.')[-1]}", predicate=predicate, basis=basis,
    )  # fmt: skip


TLAND_RULES = [
    _make("tland.purchaser.kind", _purchaser_kind, swp.Subject.PURCHASER, quote="购买主体是各级行政机关"),
    _make("tland.contractor.legal_form", _legal_form, swp.Subject.CONTRACTOR, quote="承接主体为依法登记的社会组织"),
    _make("tland.contractor.grade_priority", _grade, swp.Subject.CONTRACTOR, strength=swp.Strength.SOFT,
          quote="评估等级在3A以上的优先"),
    _make("tland.contractor.team", _team, swp.Subject.CONTRACTOR, quote="拥有专业团队"),
    _make("tland.contract.terms", _terms, swp.Subject.CONTRACT, quote="合同应当明确违约责任"),
    _make("tland.contract.signed_in_order", _signed, swp.Subject.CONTRACT, basis=Basis.LIBRARY_POLICY,
          quote="签订合同"),
    _make("tland.evaluation.third_party", _evaluations, swp.Subject.EVALUATION, quote="委托第三方开展评估"),
]  # fmt: skip

TLAND_SILENCE = swp.Silence(
    region="tland", topic="evaluation_fee", statement_zh="报〔2020〕7号未规定评估费用",
    statement_en="报〔2020〕7号 sets no evaluation fee", sources=(SOURCE.file or "",), effective_from=date(2010, 1, 1),
)  # fmt: skip


class _TlandPack:
    @swp.hookimpl
    def swp_regions(self) -> list[swp.Region]:
        return [swp.Region(code="tland", name_zh="报告地区", name_en="Reportland", sources=(SOURCE,))]

    @swp.hookimpl
    def swp_rules(self) -> list[swp.Rule]:
        return TLAND_RULES

    @swp.hookimpl
    def swp_silences(self) -> list[swp.Silence]:
        return [TLAND_SILENCE]


@pytest.fixture(scope="module")
def tland() -> swp.Registry:
    return swp.load_registry(entrypoints=False, extra_packs=[("tland-pack", _TlandPack())])


CASE: dict[str, Any] = {
    "purchaser": {"name": "某公司", "kind": "enterprise"},
    "contractor": {"name": "某社会工作服务中心", "legal_form": "private_non_enterprise_unit", "lawfully_registered": True},
    "contract": {"stated_terms": ["scope", "quantity"], "signed_on": "2021-05-01"},
}


@pytest.fixture
def verdict(tland: swp.Registry) -> swp.Verdict:
    return tland.check(swp.structure(CASE, swp.Case), region="tland", on=ON)


@pytest.fixture
def swp_check(tland: swp.Registry, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
              tmp_path: Path) -> Any:  # fmt: skip
    """``swp check`` (or ``swp fee``) on the command line, with the test pack as the installed packs."""
    monkeypatch.setattr(rules_cli, "registry_from", lambda args: tland)
    for variable in ("SWP_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "NO_COLOR"):
        monkeypatch.delenv(variable, raising=False)

    def run(*argv: str, case: dict[str, Any] = CASE, on: str = ON.isoformat()) -> tuple[int, str, str]:
        path = tmp_path / "case.json"
        path.write_text(json.dumps(case, ensure_ascii=False), encoding="utf-8")
        command = ["check", str(path), "--region", "tland", "--on", on] if argv[:1] != ("fee",) else []
        code = main([*command, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    return run


# -- the summary line ------------------------------------------------------------------------------------------------


def _expected_summary(verdict: swp.Verdict, lang: str) -> str:
    soft = [f for f in verdict.findings if f.rule.strength is swp.Strength.SOFT]
    main_counts = Counter(f.outcome for f in verdict.findings if f.rule.strength is not swp.Strength.SOFT)
    prefs = Counter(f.outcome for f in soft)
    applied = [f for f in soft if f.outcome is not swp.Outcome.NOT_APPLICABLE]
    o = swp.Outcome
    if lang == "en":
        line = (f"decision: {verdict.decision.value} · {main_counts[o.PASS]} pass, {main_counts[o.FAIL]} fail, "
                f"{main_counts[o.UNKNOWN]} unknown, {main_counts[o.NOT_APPLICABLE]} not applicable")
        if applied:
            line += (f"; preferences, counted apart: {prefs[o.PASS]} met, {prefs[o.FAIL]} not met, "
                     f"{prefs[o.UNKNOWN]} unknown")
        return line
    line = (f"结论: {name(verdict.decision, 'zh')} · 通过 {main_counts[o.PASS]} 条,不通过 {main_counts[o.FAIL]} 条,"
            f"未知 {main_counts[o.UNKNOWN]} 条,不适用 {main_counts[o.NOT_APPLICABLE]} 条")
    if applied:
        line += f";优先条件另计:满足 {prefs[o.PASS]} 条,未满足 {prefs[o.FAIL]} 条,未知 {prefs[o.UNKNOWN]} 条"
    return line  # fmt: skip


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_summary_line_comes_first_and_counts_what_the_verdict_holds(verdict: swp.Verdict, lang: str) -> None:
    assert verdict.decision is swp.Decision.INELIGIBLE
    # the pack's mix, so that every count is exercised: a failure of each kind, an unknown, a preference not met
    outcomes = {f.rule_id: f.outcome for f in verdict.findings if f.rule.region == "tland"}
    assert outcomes["tland.purchaser.kind"] is swp.Outcome.FAIL
    assert outcomes["tland.contractor.grade_priority"] is swp.Outcome.FAIL
    assert outcomes["tland.contractor.team"] is swp.Outcome.UNKNOWN
    assert outcomes["tland.evaluation.third_party"] is swp.Outcome.NOT_APPLICABLE
    first = verdict_text(verdict, lang).splitlines()[0]
    assert first == _expected_summary(verdict, lang)


def test_the_summary_line_leaves_out_preferences_when_none_applied(tland: swp.Registry) -> None:
    case = swp.structure({"purchaser": {"name": "某街道办事处", "kind": "street_office"}}, swp.Case)
    verdict = tland.check(case, region="tland", on=ON)
    soft = [f for f in verdict.findings if f.rule.strength is swp.Strength.SOFT]
    assert soft and all(f.outcome is swp.Outcome.NOT_APPLICABLE for f in soft)  # no contractor: it does not apply
    first = verdict_text(verdict, "en").splitlines()[0]
    assert first == _expected_summary(verdict, "en") and "preferences" not in first
    skipped = [f for f in verdict.findings if f.outcome is swp.Outcome.NOT_APPLICABLE]
    assert f"rules that do not apply to this case: {len(skipped)} (--all lists them)" in verdict_text(verdict, "en")


def test_the_summary_matches_the_verdict_for_every_installed_region() -> None:
    registry = swp.load_registry()
    case = swp.loads((ROOT / "docs" / "examples" / "xiamen-case.json").read_text(encoding="utf-8"), swp.Case)
    for region in registry.regions():
        for on in (date(2015, 3, 1), date(2021, 6, 1), date(2024, 3, 1)):
            verdict = registry.check(case, region=region.code, on=on)
            for lang in ("zh", "en"):
                assert verdict_text(verdict, lang).splitlines()[0] == _expected_summary(verdict, lang), (region.code, on)


# -- grouping and order ----------------------------------------------------------------------------------------------


def _sections(text: str) -> list[tuple[str, list[str]]]:
    """(heading, the rule ids under it in order) for each group of findings: a heading starts a line."""
    sections: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if line and not line.startswith(" "):
            sections.append((line, []))
        elif line.startswith("  [") and sections:
            token = line.split("] ", 1)[1].split(" ")[0].split("(")[0]
            if RULE_ID.fullmatch(token):  # a finding, not a silence («[未规定] tland: …»)
                sections[-1][1].append(token)
    return sections


def _rank(finding: swp.Finding) -> int:
    s = finding.rule.strength
    order = (swp.Outcome.FAIL, swp.Outcome.UNKNOWN, swp.Outcome.PASS)
    if s.gates:
        return order.index(finding.outcome)
    return 3 + order.index(finding.outcome) if s is swp.Strength.SOFT else 6


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_findings_are_grouped_by_subject_with_the_hard_failures_first(verdict: swp.Verdict, lang: str) -> None:
    text = verdict_text(verdict, lang)
    applied = [f for f in verdict.findings if f.outcome is not swp.Outcome.NOT_APPLICABLE]
    by_subject: dict[swp.Subject, list[swp.Finding]] = {}
    for f in applied:
        by_subject.setdefault(f.rule.subject, []).append(f)
    failing = {f.rule.subject for f in verdict.failures}
    subjects = sorted(by_subject, key=lambda s: (s not in failing, list(swp.Subject).index(s)))
    heading = "{name}({count} 条)" if lang == "zh" else "{name} ({count})"
    groups = [(h, ids) for h, ids in _sections(text) if ids]
    assert [h for h, _ in groups] == [heading.format(name=name(s, lang), count=len(by_subject[s])) for s in subjects]
    for (_, ids), subject in zip(groups, subjects, strict=True):
        findings = {f.rule_id: f for f in by_subject[subject]}
        assert sorted(ids) == sorted(findings)  # every finding of the subject once, and nothing else
        ranks = [_rank(findings[i]) for i in ids]
        assert ranks == sorted(ranks), ids
    # the failing subjects lead: purchaser and contract here, before the contractor
    assert [h for h, _ in groups][:2] == [heading.format(name=name(s, lang), count=len(by_subject[s]))
                                         for s in (swp.Subject.PURCHASER, swp.Subject.CONTRACT)]  # fmt: skip


def test_each_finding_shows_its_rule_strength_outcome_reason_and_source(verdict: swp.Verdict) -> None:
    text = verdict_text(verdict, "zh")
    block = text.split("[不通过] tland.purchaser.kind(硬性)\n", 1)[1].split("\n  [", 1)[0]
    assert "测试规则:购买主体是各级行政机关" in block  # the rule's message
    assert "本案($.purchaser.kind):企业 不在所列购买主体内" in block  # the reason, the identifier named
    assert "来源:《报告地区购买社会工作服务办法》报〔2020〕7号" in block
    assert SOURCE.file is not None and SOURCE.file not in text  # never the seed file's hashed name
    en = verdict_text(verdict, "en")
    assert "[fail] tland.purchaser.kind (hard)" in en
    assert "this case ($.purchaser.kind): enterprise is not a listed purchaser" in en
    assert "source: 《报告地区购买社会工作服务办法》 报〔2020〕7号" in en
    assert "(hard · library policy)" in en and "(硬性 · 本库规则,来源未规定)" in text


def test_a_source_is_cited_by_title_and_number() -> None:
    assert source_text(SOURCE, "zh") == "《报告地区购买社会工作服务办法》报〔2020〕7号"
    assert source_text(SOURCE, "en") == "《报告地区购买社会工作服务办法》 报〔2020〕7号"
    untitled = swp.Source(file="x.txt", title="某报道")
    assert source_text(untitled, "zh") == source_text(untitled, "en") == "《某报道》"


@pytest.mark.parametrize(("lang", "not_met", "fail"), [("zh", "[优先条件未满足]", "[不通过]"), ("en", "[preference not met]", "[fail]")])
def test_a_soft_preference_that_does_not_hold_is_not_a_failure(
    tland: swp.Registry, verdict: swp.Verdict, lang: str, not_met: str, fail: str
) -> None:
    text = verdict_text(verdict, lang)
    assert f"{not_met} tland.contractor.grade_priority" in text
    assert f"{fail} tland.contractor.grade_priority" not in text
    assert "tland.contractor.grade_priority" not in {f.rule_id for f in verdict.failures}
    # a met preference says so as well
    graded = swp.structure({**CASE, "contractor": {**CASE["contractor"], "evaluation_grade": "A4"}}, swp.Case)
    met = "[优先条件满足]" if lang == "zh" else "[preference met]"
    assert f"{met} tland.contractor.grade_priority" in verdict_text(tland.check(graded, region="tland", on=ON), lang)


# -- quotes, the rules that did not apply ----------------------------------------------------------------------------


def test_quotes_shows_the_verbatim_sentence_under_each_finding(verdict: swp.Verdict) -> None:
    plain = verdict_text(verdict, "zh")
    quoted = verdict_text(verdict, "zh", quotes=True)
    applied = [f for f in verdict.findings if f.outcome is not swp.Outcome.NOT_APPLICABLE]
    for f in applied:
        line = f"原文:「{f.rule.citation.quote}」"
        assert line in quoted and line not in plain, f.rule_id
        # under its own finding: after the finding's head, before the next one
        after = quoted.split(f"] {f.rule_id}(", 1)[1].split("\n  [", 1)[0]
        assert line in after
    assert "quote: 「" in verdict_text(verdict, "en", quotes=True)


def test_the_rules_that_did_not_apply_are_counted_or_listed_with_all(verdict: swp.Verdict) -> None:
    skipped = [f for f in verdict.findings if f.outcome is swp.Outcome.NOT_APPLICABLE]
    assert {"tland.evaluation.third_party"} <= {f.rule_id for f in skipped}
    text = verdict_text(verdict, "en")
    assert f"rules that do not apply to this case: {len(skipped)} (--all lists them)" in text.splitlines()
    assert all(f"] {f.rule_id} " not in text for f in skipped)
    listed = verdict_text(verdict, "en", show_all=True)
    assert f"rules that do not apply to this case ({len(skipped)}):" in listed.splitlines()
    for f in skipped:
        assert f"[not applicable] {f.rule_id} (" in listed
        if f.detail_en:
            assert f"this case ({f.path}): {localize_identifiers(f.detail_en, 'en')}" in listed
    assert "不适用于本案的规则:" in verdict_text(verdict, "zh") and "(用 --all 列出)" in verdict_text(verdict, "zh")


def test_the_lists_that_follow_the_findings_are_kept(tland: swp.Registry, verdict: swp.Verdict) -> None:
    text = verdict_text(verdict, "en")
    assert "to decide this case, declare:" in text
    assert "  $.contractor.staff.professional_team (true | false) · tland.contractor.team" in text.splitlines()
    assert "  [silent] tland: 报〔2020〕7号 sets no evaluation fee" in text.splitlines()
    zh = verdict_text(verdict, "zh")
    assert "为确定本案,请申报:" in zh and "  [未规定] tland: 报〔2020〕7号未规定评估费用" in zh.splitlines()
    # region names, when the caller gives them
    named = verdict_text(verdict, "zh", region_name=lambda code: {"tland": "报告地区"}.get(code, code))
    assert "  [未规定] 报告地区: 报〔2020〕7号未规定评估费用" in named.splitlines()
    assert "地区: 报告地区 · 日期: 2021-06-01" in named.splitlines()
    # a day before the region's first rule, and a USCC that contradicts the legal form
    early = tland.check(swp.structure(CASE, swp.Case), region="tland", on=date(2009, 6, 1))
    assert early.region_not_in_force is not None
    assert any(line.startswith("[not in force] ") for line in verdict_text(early, "en").splitlines())
    assert any(line.startswith("[未生效] ") for line in verdict_text(early, "zh").splitlines())
    warned = swp.structure({"contractor": {"name": "某公司", "legal_form": "enterprise", "uscc": "52350203MJ0000007C"}},
                           swp.Case)  # fmt: skip
    warned_verdict = tland.check(warned, region="tland", on=ON)
    assert warned_verdict.input_warnings
    assert "[input warning] $.contractor.uscc" in verdict_text(warned_verdict, "en")
    assert "[输入提示] $.contractor.uscc" in verdict_text(warned_verdict, "zh")
    # the JSON is the same as before: the text options change nothing in it
    assert verdict_json(verdict, "en") == verdict_json(tland.check(swp.structure(CASE, swp.Case), region="tland", on=ON), "en")


# -- the two languages -----------------------------------------------------------------------------------------------


def _pack_texts(verdict: swp.Verdict, lang: str, region_names: dict[str, str] | None = None) -> list[str]:
    """Every text the report takes from packs and sources rather than writing itself, in ``lang``."""
    zh = lang == "zh"
    texts: list[str] = []
    for f in verdict.findings:
        rule, source = f.rule, f.rule.citation.source
        texts += [rule.message_zh if zh else rule.message_en, (f.detail_zh if zh else f.detail_en) or "",
                  source_text(source, lang), rule.citation.quote]  # fmt: skip
    texts += [s.statement_zh if zh else s.statement_en for s in verdict.silences]
    texts += [c.message_zh if zh else c.message_en for c in verdict.conflicts]
    texts += [note for t in verdict.to_decide for note in t.notes(lang)]
    texts += list(verdict.input_warnings)
    if verdict.region_not_in_force is not None:
        texts.append(verdict.region_not_in_force.message(lang))
    texts += list((region_names or {}).values())
    return sorted({t for t in texts if t}, key=len, reverse=True)


def _installed_verdicts() -> list[swp.Verdict]:
    registry = swp.load_registry()
    case = swp.loads((ROOT / "docs" / "examples" / "xiamen-case.json").read_text(encoding="utf-8"), swp.Case)
    return [registry.check(case, region=r.code, on=on) for r in registry.regions()
            for on in (date(2015, 3, 1), date(2024, 3, 1))]  # fmt: skip


def test_the_english_report_writes_no_chinese_of_its_own(verdict: swp.Verdict) -> None:
    for v in [verdict, *_installed_verdicts()]:
        text = verdict_text(v, "en", quotes=True, show_all=True)
        for piece in _pack_texts(v, "en"):
            text = text.replace(localize_identifiers(piece, "en"), " ").replace(piece, " ")
        text = text.replace("「 」", " ")  # the quotation marks around a source's own words
        assert not CJK.search(text), CJK.findall(text)


def test_the_chinese_report_has_no_english_identifiers(verdict: swp.Verdict) -> None:
    values = {str(m.value) for table in NAMES.values() for m in table if "_" in str(m.value)}
    for v in [verdict, *_installed_verdicts()]:
        text = verdict_text(v, "zh", quotes=True, show_all=True)
        declare = text.split("为确定本案,请申报:")[0]  # the values to declare are what to type: shown as code
        prose = JSON_PATH.sub(" ", RULE_ID.sub(" ", declare))
        assert "private_non_enterprise_unit" not in prose and "breach_liability" not in prose
        assert re.findall(r"[A-Za-z]+_[A-Za-z_]+", prose) == [], v.region
        assert not [value for value in values if re.search(rf"(?<![\w.]){value}(?![\w.])", prose)]
    text = verdict_text(verdict, "zh")
    assert "民办非企业单位 在所列类型内" in text and "缺少:违约责任" in text
    # a value to declare keeps its code, with its name beside it
    assert "private_non_enterprise_unit" not in text.split("为确定本案,请申报:")[1]  # only booleans asked here


def test_the_chinese_report_writes_no_english_of_its_own(tland: swp.Registry, verdict: swp.Verdict) -> None:
    names = {r.code: r.name_zh for r in tland.regions()}
    text = verdict_text(verdict, "zh", quotes=True, show_all=True, region_name=names.__getitem__)
    text, declare = text.split("为确定本案,请申报:")  # the paths and values to declare: code to type
    assert all(line.startswith("  $.") or line.startswith("      ") for line in declare.strip("\n").splitlines())
    for piece in _pack_texts(verdict, "zh", names):
        text = text.replace(localize_identifiers(piece, "zh"), " ").replace(piece, " ")
    text = JSON_PATH.sub(" ", RULE_ID.sub(" ", text)).replace("--all", " ")
    assert re.findall(r"[A-Za-z]{2,}", text) == []


# -- the terminal: width and colour ----------------------------------------------------------------------------------


def test_lines_wrap_to_the_terminal_width(
    tland: swp.Registry, verdict: swp.Verdict, swp_check: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    for lang in ("zh", "en"):
        code, out, _ = swp_check("--lang", lang, "--quotes", "--all")
        assert code == 1
        lines = out.splitlines()
        # only a token longer than a line (a long JSON path) may overflow it, on a line of its own
        assert [line for line in lines if text_width(line) > 60 and " " in line.strip()] == []
        assert any(text_width(line) > 50 for line in lines)  # wrapped to the width, not far inside it
        # wrapping moves words to the next line, it loses none
        names = {r.code: (r.name_zh if lang == "zh" else r.name_en) for r in tland.regions()}
        unwrapped = verdict_text(verdict, lang, quotes=True, show_all=True, region_name=names.__getitem__)
        assert re.sub(r"\s+", "", out) == re.sub(r"\s+", "", unwrapped)


def test_wrap_keeps_document_numbers_and_closing_punctuation_together() -> None:
    text = "国务院办公厅《关于政府向社会力量购买服务的指导意见》(国办发〔2013〕96号,2013-09-26)未编码"
    for width in range(20, 60):
        for line in wrap(text, width, "  ", "    "):
            assert text_width(line) <= width or " " not in line.strip()
            body = line.strip()
            assert body[:1] not in ",。、;:)」》〕" and body[-1:] not in "(「《〔"
    assert wrap(text, None, "  ") == ["  " + text]


def test_no_colour_unless_the_output_is_a_terminal(swp_check: Any, verdict: swp.Verdict) -> None:
    code, out, _ = swp_check()
    assert code == 1 and not ANSI.search(out) and "\x1b" not in out
    coloured = verdict_text(verdict, "zh", colour=True)
    assert ANSI.search(coloured) and ANSI.sub("", coloured) == verdict_text(verdict, "zh")

    class Terminal:
        def isatty(self) -> bool:
            return True

    tty: Any = Terminal()
    assert colour_enabled(tty, {}) and colour_enabled(tty, {"NO_COLOR": ""})
    assert not colour_enabled(tty, {"NO_COLOR": "1"}) and not colour_enabled(tty, {"TERM": "dumb"})
    with Path(__file__).open(encoding="utf-8") as file:
        assert not colour_enabled(file, {})


def test_colour_on_a_terminal_and_never_with_no_color(swp_check: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(rules_cli, "colour_enabled", lambda stream: colour_enabled(_Tty(), None))
    code, out, _ = swp_check()
    assert code == 1 and ANSI.search(out)
    monkeypatch.setenv("NO_COLOR", "1")
    assert not ANSI.search(swp_check()[1])


class _Tty:
    def isatty(self) -> bool:
        return True


# -- the command line ------------------------------------------------------------------------------------------------


def test_the_command_line_report(swp_check: Any) -> None:
    code, out, _ = swp_check()
    assert code == 1 and out.startswith("结论: 不符合 · ")
    assert "地区: 报告地区 · 日期: 2021-06-01" in out and "原文:" not in out
    code, out, _ = swp_check("--quotes", "--all", "--lang", "en")
    assert "quote: 「购买主体是各级行政机关」" in out and "[not applicable] tland.evaluation.third_party" in out
    assert "region: Reportland · on 2021-06-01" in out
    # the JSON is unchanged by the text options
    code, out, _ = swp_check("--format", "json", "--lang", "en")
    plain = json.loads(out)
    code, out, _ = swp_check("--format", "json", "--lang", "en", "--quotes", "--all")
    assert json.loads(out) == plain and "quote" in plain["findings"][0]["citation"]


def test_fee_before_the_region_is_in_force_prints_the_reason_alone(swp_check: Any) -> None:
    code, out, _ = swp_check("fee", "--region", "tland", "--amount", "100", "--on", "2009-06-01", "--lang", "en")
    assert code == 0
    assert out == "no source of tland encoded here is in force on 2009-06-01: the first takes effect on 2010-01-01\n"
    code, out, _ = swp_check("fee", "--region", "tland", "--amount", "100", "--on", "2009-06-01")
    assert out == "本库收录的 tland 来源在 2009-06-01 均未生效:最早的自 2010-01-01 起生效\n"
    # in force, the sources silent: «not specified», with the silence's statement
    code, out, _ = swp_check("fee", "--region", "tland", "--amount", "100", "--on", "2021-06-01", "--lang", "en")
    assert out.startswith("not specified: ")


def test_the_documented_example_names_its_source_and_never_the_seed_file() -> None:
    registry = swp.load_registry()
    if "xiamen" not in {r.code for r in registry.regions()}:
        pytest.skip("the Xiamen pack is not installed here")
    case = swp.loads((ROOT / "docs" / "examples" / "xiamen-case.json").read_text(encoding="utf-8"), swp.Case)
    verdict = registry.check(case, region="xiamen", on=date(2015, 3, 1))
    for lang in ("zh", "en"):
        text = verdict_text(verdict, lang)
        assert "厦府办〔2015〕3号" in text and "《政府购买社会工作服务试点工作实施意见》" in text
        assert not re.search(r"\d{3}_[0-9a-f]{16}\.txt", text)


def test_the_report_shown_in_the_tutorial_is_what_swp_check_prints(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    page = (ROOT / "docs" / "first-check.md").read_text(encoding="utf-8")
    (shown,) = re.findall(r'```text title="the first lines of the report"\n(.*?)```', page, re.DOTALL)
    if "xiamen" not in {r.code for r in swp.load_registry().regions()}:
        pytest.skip("the Xiamen pack is not installed here")
    monkeypatch.setenv("COLUMNS", "100")  # «in a terminal 100 columns wide», as the page says
    code = main(["check", str(ROOT / "docs" / "examples" / "xiamen-case.json"), "--region", "xiamen",
                 "--on", "2015-03-01", "--lang", "en"])  # fmt: skip
    out, _ = capsys.readouterr()
    assert code == 0
    assert out.startswith(shown), "docs/first-check.md: paste the first lines `swp check` prints again"
