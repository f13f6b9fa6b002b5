"""USCC validator: the GB 32100 worked example, the Fujian pilot codes, and generated codes."""

from __future__ import annotations

import io
import subprocess
import sys
from unittest import TestCase

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from zhiliang.lib import credit_cli
from zhiliang.lib.uscc import (
    ORG_CHARSET,
    PROVINCE_PREFIXES,
    USCC_CHARSET,
    USCC_VALUE,
    USCC_WEIGHTS,
    compute_check_char,
    make_uscc,
    normalize,
    org_code_check_char,
    validate_uscc,
)

PILOT_CODES = ("91350100M0001TGQXM", "91350211M0000XUF46", "91350203M0001FUE2P")
SYNTHETIC = {
    "91340100MA2MXB7Q8C": ("9", "1", "340100", "MA2MXB7Q"),
    "91340200748942313U": ("9", "1", "340200", "74894231"),
    "92341502L15236748Q": ("9", "2", "341502", "L1523674"),
    "52340000MJ0R3T1496": ("5", "2", "340000", "MJ0R3T14"),
    "113400000030022124": ("1", "1", "340000", "00300221"),
    "N2340122MF7C2K8PX8": ("N", "2", "340122", "MF7C2K8P"),
}

dept_category = st.sampled_from(
    [("9", "1"), ("9", "2"), ("9", "3"), ("5", "1"), ("5", "2"), ("1", "1"), ("N", "2"), ("Y", "1")]
)
region6 = st.builds(
    lambda prefix, rest: prefix + rest,
    st.sampled_from(sorted(p for p in PROVINCE_PREFIXES if p != "10")),
    st.text(alphabet="0123456789", min_size=4, max_size=4),
)
org8 = st.text(alphabet=USCC_CHARSET, min_size=8, max_size=8)
valid_codes = st.builds(lambda dc, r, o: make_uscc(dc[0], dc[1], r, o), dept_category, region6, org8)


class TestStandardExamples(TestCase):
    def test_the_weights_are_powers_of_three_mod_31(self):
        assert USCC_WEIGHTS == [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    def test_the_worked_example_sums_to_1640_and_checks_to_3(self):
        assert sum(USCC_VALUE[c] * w for c, w in zip("91350100M000100Y4", USCC_WEIGHTS)) == 1640
        assert compute_check_char("91350100M000100Y4") == "3"
        result = validate_uscc("91350100M000100Y43")
        assert result.valid and not result.warnings
        assert result.uscc_check_ok and result.org_check_ok

    def test_the_standards_invalid_example_is_rejected_for_its_character(self):
        result = validate_uscc("91350100M000100Y4Z")
        assert not result.valid
        assert any("第18位" in e and "Z" in e for e in result.errors)

    def test_the_python_stdnum_example_is_valid(self):
        assert validate_uscc("91110000600037341L").valid

    def test_the_synthetic_examples_build_and_validate(self):
        for code, parts in SYNTHETIC.items():
            assert make_uscc(*parts) == code
            result = validate_uscc(code)
            assert result.valid and not result.warnings, (code, result)


class TestPilotCodes(TestCase):
    def test_pilot_codes_are_well_formed_with_a_warning(self):
        for code in PILOT_CODES:
            result = validate_uscc(code)
            assert result.valid, code
            assert result.is_pilot_code
            assert result.org_check_ok and result.uscc_check_ok is False
            assert any("第18位" in w and "试点" in w for w in result.warnings)

    def test_the_org_code_check_uses_gb_11714_letter_values(self):
        # J..Y differ between the GB 11714 (A=10..Z=35) and the GB 32100 tables.
        assert org_code_check_char("M0001TGQ") == "X"
        assert ORG_CHARSET.index("J") == 19 and USCC_CHARSET.index("J") == 18


class TestStructureErrors(TestCase):
    def test_it_reports_the_length(self):
        result = validate_uscc("9135010")
        assert not result.valid and result.errors == ("长度应为18位，实际为7位",)

    def test_it_names_the_position_of_a_forbidden_letter(self):
        result = validate_uscc("913501O0M000100Y43")
        assert any(e.startswith("第7位“O”") for e in result.errors)

    def test_it_rejects_letters_in_the_area_code(self):
        code = "91A50100M000100Y4" + "0"
        result = validate_uscc(code)
        assert any("第3–8位" in e and "第3位" in e for e in result.errors)

    def test_it_rejects_an_unknown_province_prefix(self):
        code = make_uscc("9", "1", "990100", "M000100Y")
        result = validate_uscc(code)
        assert any("第3–4位“99”" in e for e in result.errors)

    def test_national_registration_uses_100000(self):
        assert validate_uscc(make_uscc("9", "1", "100000", "60003734")).valid
        assert not validate_uscc(make_uscc("9", "1", "101000", "60003734")).valid

    def test_an_unknown_department_code_is_a_warning(self):
        result = validate_uscc(make_uscc("B", "1", "330100", "MA2MXB7Q"))
        assert result.valid and any("第1位" in w for w in result.warnings)

    def test_both_checks_failing_is_an_error(self):
        result = validate_uscc("91350100M000100Y53")  # pos 17 changed: org and outer checks both fail
        assert not result.valid
        assert any("第18位" in e for e in result.errors) and any("第17位" in e for e in result.errors)

    def test_it_normalises_case_spaces_and_full_width(self):
        assert normalize(" ９１３５０１００ｍ０００１００ｙ４３ ") == "91350100M000100Y43"
        assert validate_uscc("91350100m000100y43").normalized == "91350100M000100Y43"
        assert validate_uscc("").errors == ("代码为空",)


class TestGeneratedCodes(TestCase):
    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(valid_codes)
    def test_generated_codes_are_valid(self, code):
        result = validate_uscc(code)
        assert result.valid and not result.warnings, (code, result.errors, result.warnings)

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(valid_codes, st.integers(min_value=8, max_value=17), st.sampled_from(USCC_CHARSET))
    def test_any_single_substitution_in_the_body_is_caught(self, code, index, char):
        if code[index] == char:
            return
        corrupted = code[:index] + char + code[index + 1 :]
        result = validate_uscc(corrupted)
        # The mod-31 check catches every single-character substitution (31 is prime, weights non-zero).
        assert result.uscc_check_ok is False
        assert result.errors or result.warnings

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(valid_codes, st.integers(min_value=8, max_value=15))
    def test_adjacent_transpositions_are_caught(self, code, index):
        if code[index] == code[index + 1]:
            return
        swapped = code[:index] + code[index + 1] + code[index] + code[index + 2 :]
        # Both positions carry weights 3^i and 3^(i+1); their difference -2·3^i is never 0 mod 31.
        assert validate_uscc(swapped).uscc_check_ok is False

    @settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(valid_codes, st.integers(min_value=0, max_value=17), st.sampled_from("IOSVZ"))
    def test_forbidden_letters_are_errors_with_their_position(self, code, index, char):
        corrupted = code[:index] + char + code[index + 1 :]
        result = validate_uscc(corrupted)
        assert not result.valid
        assert any(e.startswith(f"第{index + 1}位“{char}”") for e in result.errors)

    @settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.text(max_size=30))
    def test_it_never_raises(self, text):
        result = validate_uscc(text)
        assert result.valid == (not result.errors)


class TestCli(TestCase):
    def run_cli(self, *argv: str) -> tuple[int, str]:
        out = io.StringIO()
        return credit_cli.main(list(argv), stdout=out), out.getvalue()

    def test_it_prints_one_line_per_code_and_exits_1_on_any_invalid(self):
        status, out = self.run_cli("check", "91350100M000100Y43", "91350100M000100Y4Z", PILOT_CODES[0])
        lines = out.splitlines()
        assert status == 1 and len(lines) == 3
        assert lines[0] == "91350100M000100Y43\t有效"
        assert lines[1].startswith("91350100M000100Y4Z\t无效：")
        assert "需人工确认" in lines[2]

    def test_warnings_alone_exit_0_unless_strict(self):
        assert self.run_cli("check", PILOT_CODES[0])[0] == 0
        assert self.run_cli("check", "--strict", PILOT_CODES[0])[0] == 1

    def test_it_reads_codes_from_stdin(self):
        out = io.StringIO()
        status = credit_cli.main(["check", "-"], stdin=io.StringIO("91350100M000100Y43\n\n"), stdout=out)
        assert status == 0 and out.getvalue().count("\n") == 1

    def test_usage_errors_exit_2(self):
        assert self.run_cli("check")[0] == 2
        assert self.run_cli("nope")[0] == 2

    def test_the_zhiliang_command_routes_without_importing_django(self):
        code = (
            "import sys; from zhiliang.cli import main; "
            "rc = main(['credit', 'check', '91350100M000100Y43']); "
            "assert 'django' not in sys.modules; sys.exit(rc)"
        )
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)  # noqa: S603
        assert done.returncode == 0, done.stderr
        assert done.stdout == "91350100M000100Y43\t有效\n"
