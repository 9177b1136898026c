"""H2 in the console: the shift editor's form becomes the hr API's body, and the API's field
names come back to the rows the manager sees."""

from __future__ import annotations

from console.api import Problem
from console.pages.shift_editor import body_of, editor_of, editor_posted, on_rows

POLICY = {
    "shifts": [
        {"code": "cs_early", "name": "客服早班", "roles": ["presales", "aftersales"],
         "periods": [{"start": "09:00:00", "end": "11:30:00"},
                     {"start": "12:30:00", "end": "18:30:00"}], "late": False},
        {"code": "cs_late", "name": "客服晚班", "roles": ["presales"],
         "periods": [{"start": "13:00:00", "end": "23:30:00"}], "late": True},
    ],
    "rotation": {"presales": ["cs_early", "cs_late"]},
}


def _form(**changes: str) -> dict[str, str]:
    """The form as the page fills it from POLICY, with some fields changed."""
    editor = editor_of(POLICY)
    form = {"shift_count": str(len(editor.rows))}
    for i, row in enumerate(editor.rows):
        form |= {f"shifts.{i}.code": row.code, f"shifts.{i}.name": row.name}
        form |= {f"shifts.{i}.roles.{role}": "on" for role in row.roles}
        if row.late:
            form[f"shifts.{i}.late"] = "on"
        for j, (start, end) in enumerate(row.padded()):
            form |= {f"shifts.{i}.periods.{j}.start": start, f"shifts.{i}.periods.{j}.end": end}
    form |= {f"rotation.{role}": line for role, line in editor.rotation.items()}
    return form | changes


def test_H2_the_form_as_filled_sends_the_policy_back_unchanged() -> None:
    sent = body_of(editor_posted(_form()))
    assert sent.body == {"shifts": POLICY["shifts"], "rotation": POLICY["rotation"]}


def test_H2_a_changed_end_time_is_sent_as_a_wall_clock_time() -> None:
    sent = body_of(editor_posted(_form(**{"shifts.0.periods.1.end": "18:00"})))
    assert sent.body["shifts"][0]["periods"][1] == {"start": "12:30:00", "end": "18:00:00"}


def test_H2_a_malformed_time_is_sent_as_typed_for_the_api_to_refuse() -> None:
    sent = body_of(editor_posted(_form(**{"shifts.0.periods.0.start": "25:61x"})))
    assert sent.body["shifts"][0]["periods"][0]["start"] == "25:61x"


def test_H2_a_removed_row_and_a_blank_added_row_are_not_sent() -> None:
    form = _form(**{"shifts.0.remove": "on"})
    editor = editor_posted(form, add=True)
    assert len(editor.rows) == 3
    sent = body_of(editor)
    assert [s["code"] for s in sent.body["shifts"]] == ["cs_late"]


def test_H2_the_apis_field_names_come_back_to_the_rows_shown() -> None:
    # Row 0 removed, and row 1's first period left blank: the API's shifts.0.periods.0 is the
    # form's row 1, period 1.
    form = _form(**{"shifts.0.remove": "on", "shifts.1.periods.0.start": "",
                    "shifts.1.periods.0.end": "", "shifts.1.periods.1.start": "20:00",
                    "shifts.1.periods.1.end": "19:00", "rotation.presales": "cs_late"})
    sent = body_of(editor_posted(form))
    assert sent.body["shifts"][0]["periods"] == [{"start": "20:00:00", "end": "19:00:00"}]
    problem = Problem(422, "Validation", "", fields={
        "shifts.0.periods.0": "结束时间须晚于开始时间（同一天内）", "shifts.0.roles.0": "请选择",
        "rotation.presales.0": "格式不对"})
    moved = on_rows(problem, sent)
    assert moved.fields == {"shifts.1.periods.1": "结束时间须晚于开始时间（同一天内）",
                            "shifts.1.roles": "请选择", "rotation.presales": "格式不对"}


def test_H2_rotation_codes_are_sent_in_the_order_typed_and_empty_lines_are_left_out() -> None:
    sent = body_of(editor_posted(_form(**{"rotation.presales": "cs_late，cs_early",
                                          "rotation.warehouse": " "})))
    assert sent.body["rotation"] == {"presales": ["cs_late", "cs_early"]}
