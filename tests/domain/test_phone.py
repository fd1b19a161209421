from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from factorytiers.domain.phone import PhoneResult, check_phone

EXAMPLES = "（如 13912345678 或 0351-3183088）"


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("13912345678", "13912345678"),
        ("139 1234 5678", "13912345678"),
        ("139-1234-5678", "13912345678"),
        ("+86 139 1234 5678", "13912345678"),
        ("+8613912345678", "13912345678"),
        ("86 13912345678", "13912345678"),
        ("86-139-1234-5678", "13912345678"),
        ("0086 139 1234 5678", "13912345678"),
        ("(+86) 139-1234-5678", "13912345678"),
        ("１３９１２３４５６７８", "13912345678"),
        (" 19912345678 ", "19912345678"),
        ("14512345678", "14512345678"),
    ],
)
def test_it_accepts_mobiles(raw: str, normalized: str) -> None:
    assert check_phone(raw) == PhoneResult(True, normalized, "mobile", "")


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("0351-3183088", "0351-3183088"),
        ("(0351)3183088", "0351-3183088"),
        ("（0351）3183088", "0351-3183088"),
        ("(0351) 3183088", "0351-3183088"),
        ("03513183088", "0351-3183088"),
        ("0351 3183088", "0351-3183088"),
        ("0351–3183088", "0351-3183088"),
        ("０３５１－３１８３０８８", "0351-3183088"),
        ("0351-3183088-123", "0351-3183088-123"),
        ("0351-3183088转123", "0351-3183088-123"),
        ("0351-3183088 转 123", "0351-3183088-123"),
        ("0351-3183088分机8", "0351-3183088-8"),
        ("0351-3183088 ext.123", "0351-3183088-123"),
        ("0351-3183088 EXT 123", "0351-3183088-123"),
        ("0351-3183088x123", "0351-3183088-123"),
        ("010-62345678", "010-62345678"),
        ("01062345678", "010-62345678"),
        ("021-61234567", "021-61234567"),
        ("0755-86013388", "0755-86013388"),
        ("07558601338", "0755-8601338"),
    ],
)
def test_it_accepts_landlines_with_area_code(raw: str, normalized: str) -> None:
    assert check_phone(raw) == PhoneResult(True, normalized, "landline", "")


@pytest.mark.parametrize(
    ("raw", "normalized"),
    [
        ("400-123-4567", "400-123-4567"),
        ("4001234567", "400-123-4567"),
        ("400 123 4567", "400-123-4567"),
        ("400-1234-567", "400-123-4567"),
        ("800-810-8888", "800-810-8888"),
        ("８００８１０８８８８", "800-810-8888"),
    ],
)
def test_it_accepts_service_numbers(raw: str, normalized: str) -> None:
    assert check_phone(raw) == PhoneResult(True, normalized, "service", "")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", f"联系电话不能为空{EXAMPLES}"),
        ("   ", f"联系电话不能为空{EXAMPLES}"),
        ("1391234567", "手机号“1391234567”应为11位数字，当前为10位"),
        ("139123456789", "手机号“139123456789”应为11位数字，当前为12位"),
        ("139-1234-567", "手机号“139-1234-567”应为11位数字，当前为10位"),
        ("12345678901", f"联系电话“12345678901”不是有效的手机号或固定电话{EXAMPLES}"),
        ("12345", f"联系电话“12345”不是有效的手机号或固定电话{EXAMPLES}"),
        ("3183088", f"联系电话“3183088”不是有效的手机号或固定电话{EXAMPLES}"),
        ("0351-318308", f"联系电话“0351-318308”不是有效的手机号或固定电话{EXAMPLES}"),
        ("0351-01830880", f"联系电话“0351-01830880”不是有效的手机号或固定电话{EXAMPLES}"),
        ("0351-11830880", f"联系电话“0351-11830880”不是有效的手机号或固定电话{EXAMPLES}"),
        ("035-13183088", f"联系电话“035-13183088”不是有效的手机号或固定电话{EXAMPLES}"),
        ("010-12345678", f"联系电话“010-12345678”不是有效的手机号或固定电话{EXAMPLES}"),
        (
            "0351-3183088-1234567",
            f"联系电话“0351-3183088-1234567”不是有效的手机号或固定电话{EXAMPLES}",
        ),
        ("0351--3183088", f"联系电话“0351--3183088”不是有效的手机号或固定电话{EXAMPLES}"),
        ("-13912345678", f"联系电话“-13912345678”不是有效的手机号或固定电话{EXAMPLES}"),
        ("+86-0351-3183088", f"联系电话“+86-0351-3183088”不是有效的手机号或固定电话{EXAMPLES}"),
        ("800-123-456", f"联系电话“800-123-456”不是有效的手机号或固定电话{EXAMPLES}"),
        ("500-123-4567", f"联系电话“500-123-4567”不是有效的手机号或固定电话{EXAMPLES}"),
        (
            "13912345678 13812345678",
            f"联系电话“13912345678 13812345678”不是有效的手机号或固定电话{EXAMPLES}",
        ),
        (
            "0351-3183088/13912345678",
            f"联系电话“0351-3183088/13912345678”不是有效的手机号或固定电话{EXAMPLES}",
        ),
        ("无", f"联系电话“无”不是有效的手机号或固定电话{EXAMPLES}"),
    ],
)
def test_it_refuses_with_a_message_saying_what_is_wrong(raw: str, message: str) -> None:
    assert check_phone(raw) == PhoneResult(False, "", "", message)


# --- properties ---------------------------------------------------------------------------

separators = st.sampled_from(["", " ", "-"])
digits = st.sampled_from("0123456789")


@st.composite
def mobiles(draw: st.DrawFn) -> tuple[str, str]:
    body = (
        "1"
        + draw(st.sampled_from("3456789"))
        + "".join(draw(st.lists(digits, min_size=9, max_size=9)))
    )
    prefix = draw(st.sampled_from(["", "+86", "86", "0086", "(+86)", "(86)"]))
    if prefix:
        prefix += draw(separators)
    raw = prefix + body[:3] + draw(separators) + body[3:7] + draw(separators) + body[7:]
    return raw, body


@st.composite
def landlines(draw: st.DrawFn) -> tuple[str, str]:
    area = draw(
        st.one_of(
            st.sampled_from(["010", "020", "021", "022", "023", "024", "025", "027", "028", "029"]),
            st.builds(lambda a, b, c: "0" + a + b + c, st.sampled_from("3456789"), digits, digits),
        )
    )
    local = draw(st.sampled_from("23456789")) + "".join(
        draw(st.lists(digits, min_size=6, max_size=7))
    )
    shape = draw(st.sampled_from(["{a}-{l}", "({a}){l}", "{a}{l}", "{a} {l}", "({a}) {l}"]))
    raw = shape.format(a=area, l=local)
    expected = f"{area}-{local}"
    extension = draw(st.one_of(st.none(), st.text(alphabet="0123456789", min_size=1, max_size=6)))
    if extension is not None:
        marker = draw(st.sampled_from(["-", "转", " 转 ", "分机", "ext.", " ext ", "EXT.", "x"]))
        raw += marker + extension
        expected += f"-{extension}"
    return raw, expected


@st.composite
def service_numbers(draw: st.DrawFn) -> tuple[str, str]:
    prefix = draw(st.sampled_from(["400", "800"]))
    rest = "".join(draw(st.lists(digits, min_size=7, max_size=7)))
    raw = prefix + draw(separators) + rest[:3] + draw(separators) + rest[3:]
    return raw, f"{prefix}-{rest[:3]}-{rest[3:]}"


@given(mobiles())
def test_any_written_mobile_normalises_to_its_eleven_digits(case: tuple[str, str]) -> None:
    raw, expected = case
    assert check_phone(raw) == PhoneResult(True, expected, "mobile", "")


@given(landlines())
def test_any_written_landline_normalises_to_area_dash_number(case: tuple[str, str]) -> None:
    raw, expected = case
    assert check_phone(raw) == PhoneResult(True, expected, "landline", "")


@given(service_numbers())
def test_any_written_service_number_normalises_to_three_groups(case: tuple[str, str]) -> None:
    raw, expected = case
    assert check_phone(raw) == PhoneResult(True, expected, "service", "")


@given(st.one_of(mobiles(), landlines(), service_numbers()).map(lambda case: case[0]) | st.text())
def test_normalisation_is_idempotent(raw: str) -> None:
    first = check_phone(raw)
    if first.ok:
        assert check_phone(first.normalized) == first


@given(st.text())
def test_a_result_is_either_a_number_or_an_explanation(raw: str) -> None:
    result = check_phone(raw)
    if result.ok:
        assert result.message == ""
        assert result.kind in {"mobile", "landline", "service"}
        assert result.normalized
    else:
        assert result.message
        assert (result.normalized, result.kind) == ("", "")
