"""Small dialogs: pick from a list, write a note, an observation, an ad-hoc inject, confirm.

A dialog that records something returns the command it built (`Note`, `Observe`, `AdHoc`,
`Flag`, `Adjust`) as its `dismiss()` result; what the command's model refuses (a sender
too long, say) is said in the dialog, which stays open with what was typed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import ValidationError
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, TextArea
from textual.widgets.option_list import Option
from textual.widgets.select import InvalidSelectValueError

from tabletop.i18n import Translator
from tabletop.model.commands import AdHoc, Command, Flag, Note, Observe
from tabletop.model.locate import pydantic_message
from tabletop.tui.screens import TabletopModal
from tabletop.tui.text import lit

FIELD_LABELS = frozenset({"title", "sender", "text", "owner", "question", "inject",
                          "rationale", "answer", "advice", "rating"})
"""Command fields a dialog names by a label of its own (`form.field.*`)."""


def refused(t: Translator, exc: ValidationError) -> str:
    """What a command's model refused of a form, in the user's language: which field, why."""
    first = exc.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else ""
    label = t(f"form.field.{field}") if field in FIELD_LABELS else field
    limit = (first.get("ctx") or {}).get("max_length")
    if first["type"] == "string_too_long":
        why = t("form.why.too_long", max=limit)
    else:  # what the loader says of the same error, in the same language
        why = t("form.why.other", problem=pydantic_message(first).render(t.lang))
    return t("form.refused", field=label, why=why)


def picked(select: Select[str]) -> str | None:
    """A Select's chosen value, or None while it shows its prompt."""
    value = select.value
    return value if isinstance(value, str) else None


class _Dialog(TabletopModal):
    BINDINGS = [
        Binding("escape", "cancel", "key.cancel", id="cancel", tooltip="tip.close-without-saving"),
        Binding("ctrl+s", "save", "key.save", id="save", tooltip="tip.save-and-close"),
    ]

    drafted = False
    """Whether what is typed is kept as a draft (then closing offers to keep it)."""

    def typed(self) -> bool:
        """Whether text was typed that closing would throw away."""
        return any(w.value.strip() for w in self.query(Input)) or any(
            w.text.strip() for w in self.query(TextArea))

    def action_cancel(self) -> None:
        """Close; with text typed, ask first."""
        if not self.typed():
            self.dismiss(None)
            return
        choices = [("stay", self.t("draft.stay"))]
        if self.drafted:
            choices.append(("keep", self.t("draft.keep")))
        choices.append(("discard", self.t("draft.discard")))

        def answer(choice: object) -> None:
            if choice == "keep":
                self.dismiss(None)
            elif choice == "discard":
                self.dismiss("discard")

        self.app.push_screen(ChoiceScreen(
            self.t("draft.close_title"),
            self.t("draft.close_body" if self.drafted else "draft.close_body_lost"), choices),
            answer)

    def action_save(self) -> None:  # pragma: no cover - overridden
        self.dismiss(None)

    def submit(self, build: Callable[[], Command]) -> None:
        """Close with the command `build` makes; if its model refuses a field, say which
        and why, and stay open with what was typed."""
        try:
            command = build()
        except ValidationError as exc:
            self.notify(refused(self.t, exc), severity="error", markup=False)
            return
        self.dismiss(command)

    def buttons(self) -> ComposeResult:
        with Horizontal(classes="buttons"):
            yield Button(self.t("key.save"), id="save", variant="primary")
            yield Button(self.t("key.cancel"), id="cancel")

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.action_cancel()


class PickScreen(_Dialog):
    """Choose one item; dismisses with its key."""

    def __init__(self, title: str, items: list[tuple[str, Content]]) -> None:
        super().__init__()
        self.title_text = title
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(lit(self.title_text, "bold"), classes="dialog-title")
            if not self.items:
                yield Label(lit(self.t("ex.nothing_to_pick"), "dim"))
            yield OptionList(*[Option(label, id=key) for key, label in self.items], id="pick")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#pick", OptionList).focus()

    @on(OptionList.OptionSelected, "#pick")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_save(self) -> None:
        index = self.query_one("#pick", OptionList).highlighted
        self.dismiss(self.items[index][0] if index is not None and self.items else None)


class NoteScreen(_Dialog):
    drafted = True

    def __init__(self, questions: list[tuple[str, str]], question: str | None = None,
                 roles: list[tuple[str, str]] | None = None, draft: dict[str, Any] | None = None,
                 on_draft: Callable[[dict[str, Any]], None] | None = None,
                 title: str | None = None) -> None:
        super().__init__()
        self.questions = questions
        self.question = question
        self.roles = roles or []
        self.draft = dict(draft or {})
        self.on_draft = on_draft
        self.title_text = title
        if question is None and isinstance(self.draft.get("question"), str):
            self.question = self.draft["question"]

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog"):
            yield Label(lit(self.title_text or t("form.note"), "bold"), classes="dialog-title")
            if self.questions:
                yield Label(lit(t("form.question")))
                yield Select([(lit(text), key) for key, text in self.questions], id="question",
                             prompt=t("form.none"),
                             value=self.question if self.question else Select.NULL)
            yield TextArea(id="text")
            yield Checkbox(lit(t("form.lovp")), False, id="lovp")
            if self.roles:
                yield Select([(lit(name), rid) for rid, name in self.roles], id="owner",
                             prompt=t("form.owner"))
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#text", TextArea).focus()
        draft = self.draft
        if isinstance(draft.get("text"), str):
            self.query_one("#text", TextArea).text = draft["text"]
        self.query_one("#lovp", Checkbox).value = bool(draft.get("lovp"))
        if self.roles and isinstance(draft.get("owner"), str):
            try:
                self.query_one("#owner", Select).value = draft["owner"]
            except InvalidSelectValueError:
                pass

    def current_draft(self) -> dict[str, Any]:
        return {"text": self.query_one("#text", TextArea).text,
                "lovp": self.query_one("#lovp", Checkbox).value,
                "question": picked(self.query_one("#question", Select)) if self.questions
                else None,
                "owner": picked(self.query_one("#owner", Select)) if self.roles else None}

    @on(TextArea.Changed)
    @on(Checkbox.Changed)
    @on(Select.Changed)
    def _changed(self) -> None:
        if self.on_draft is not None and self.is_mounted:
            self.on_draft(self.current_draft())

    def action_save(self) -> None:
        text = self.query_one("#text", TextArea).text.strip()
        if not text:
            self.query_one("#text", TextArea).focus()
            return
        question = picked(self.query_one("#question", Select)) if self.questions else None
        owner = picked(self.query_one("#owner", Select)) if self.roles else None
        lovp = self.query_one("#lovp", Checkbox).value
        self.submit(lambda: Note(text=text, lovp=lovp, question=question, owner=owner))


class ObservationScreen(_Dialog):
    def __init__(self, injects: list[tuple[str, str]]) -> None:
        super().__init__()
        self.injects = injects

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog"):
            yield Label(lit(t("form.observation"), "bold"), classes="dialog-title")
            yield TextArea(id="text")
            yield Select([(lit(title), key) for key, title in self.injects], id="inject",
                         prompt=t("form.inject"))
            yield Select([(lit(t(f"form.rating.{r}")), r) for r in "PSMU"], id="rating",
                         prompt=t("form.rating"))
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#text", TextArea).focus()

    def action_save(self) -> None:
        text = self.query_one("#text", TextArea).text.strip()
        if not text:
            return
        inject = picked(self.query_one("#inject", Select))
        rating = picked(self.query_one("#rating", Select))
        self.submit(lambda: Observe.model_validate(
            {"text": text, "inject": inject, "rating": rating}))


class AdHocScreen(_Dialog):
    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog"):
            yield Label(lit(t("form.adhoc"), "bold"), classes="dialog-title")
            yield Input(placeholder=t("form.title"), id="title")
            yield Input(placeholder=t("form.sender"), id="sender")
            yield TextArea(id="text")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#title", Input).focus()

    def action_save(self) -> None:
        title = self.query_one("#title", Input).value.strip()
        if not title:
            self.query_one("#title", Input).focus()
            return
        sender = self.query_one("#sender", Input).value.strip() or "facilitator"
        text = self.query_one("#text", TextArea).text.strip()
        self.submit(lambda: AdHoc(title=title, text=text, sender=sender))


class AdjustScreen(_Dialog):
    """Set a state variable by hand, with the reason; dismisses with an `Adjust` command."""

    def __init__(self, variables: list[tuple[str, str, bool]]) -> None:
        """`variables`: (id, label, is yes/no) of the scenario's state."""
        super().__init__()
        self.variables = variables

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog"):
            yield Label(lit(t("form.adjust"), "bold"), classes="dialog-title")
            yield Label(lit(t("form.adjust_variable")))
            yield Select([(lit(label), var) for var, label, _ in self.variables],
                         prompt=t("form.adjust_pick"), id="variable")
            yield Label(lit(t("form.adjust_value")))
            yield Input(placeholder=t("form.adjust_value_hint"), id="value")
            yield Label(lit(t("form.adjust_reason")))
            yield Input(id="reason")
            yield Label("", id="adjust-problem")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#variable", Select).focus()

    def _problem(self, key: str) -> None:
        self.query_one("#adjust-problem", Label).update(lit(self.t(key), "bold red"))

    def action_save(self) -> None:
        var = picked(self.query_one("#variable", Select))
        text = self.query_one("#value", Input).value.strip().replace(",", ".")
        reason = self.query_one("#reason", Input).value.strip()
        if var is None:
            self._problem("form.adjust_pick")
            return
        boolean = next(b for v, _, b in self.variables if v == var)
        value: float | bool
        if boolean:
            words = {"ja": True, "yes": True, "true": True, "1": True,
                     "nee": False, "no": False, "false": False, "0": False}
            if text.lower() not in words:
                self._problem("form.adjust_yes_no")
                return
            value = words[text.lower()]
        else:
            try:
                value = float(text)
            except ValueError:
                self._problem("form.adjust_number")
                return
            if value != value or value in (float("inf"), float("-inf")):
                self._problem("form.adjust_number")
                return
        if not reason:
            self._problem("form.adjust_no_reason")
            return
        from tabletop.model.commands import Adjust

        self.dismiss(Adjust(changes={var: value}, reason=reason))


class FlagScreen(_Dialog):
    def __init__(self, dilemmas: list[tuple[str, str]]) -> None:
        super().__init__()
        self.dilemmas = dilemmas

    def compose(self) -> ComposeResult:
        t = self.t
        with Vertical(classes="dialog"):
            yield Label(lit(t("form.flag"), "bold"), classes="dialog-title")
            yield Select([(lit(title), key) for key, title in self.dilemmas], id="dilemma",
                         prompt=t("form.flag_authored"))
            yield Label(lit(t("form.flag_text")))
            yield Input(id="text")
            yield from self.buttons()

    def action_save(self) -> None:
        value = picked(self.query_one("#dilemma", Select))
        text = self.query_one("#text", Input).value.strip()
        if value is not None:
            self.submit(lambda: Flag(dilemma=value))
        elif text:
            self.submit(lambda: Flag(text=text))


class AskScreen(_Dialog):
    """One line of input (a story time, say)."""

    def __init__(self, title: str, placeholder: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(lit(self.title_text, "bold"), classes="dialog-title")
            yield Input(placeholder=self.placeholder, id="value")
            yield from self.buttons()

    def on_mount(self) -> None:
        self.query_one("#value", Input).focus()

    def typed(self) -> bool:
        return False

    @on(Input.Submitted, "#value")
    def _submitted(self) -> None:
        self.action_save()

    def action_save(self) -> None:
        self.dismiss(self.query_one("#value", Input).value.strip() or None)


class ConfirmScreen(_Dialog):
    """Yes or no; dismisses with True or False."""

    BINDINGS = [
        Binding("escape,n", "cancel", "key.cancel", id="cancel", tooltip="tip.no"),
        Binding("enter,y,j", "save", "key.save", id="confirm", tooltip="tip.yes"),
    ]

    def __init__(self, title: str, body: str, yes: str) -> None:
        super().__init__()
        self.title_text, self.body, self.yes = title, body, yes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(lit(self.title_text, "bold"), classes="dialog-title")
            yield Label(lit(self.body))
            with Horizontal(classes="buttons"):
                yield Button(self.yes, id="save", variant="error")
                yield Button(self.t("key.cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#cancel", Button).focus()

    def action_save(self) -> None:
        self.dismiss(True)

    def action_cancel(self) -> None:
        self.dismiss(False)


class MessageScreen(_Dialog):
    """A message (an error, say) to read and close."""

    BINDINGS = [Binding("escape,enter", "cancel", "key.back", id="close", tooltip="tip.close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.title_text, self.body = title, body

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(lit(self.title_text, "bold"), classes="dialog-title")
            yield Label(lit(self.body))


class ChoiceScreen(TabletopModal):
    """A question with a few answers as buttons; dismisses with the chosen key (the first
    answer is focused; escape gives the first)."""

    BINDINGS = [Binding("escape", "first", "key.back", id="close", tooltip="tip.close")]

    def __init__(self, title: str, body: str, choices: list[tuple[str, str]]) -> None:
        super().__init__()
        self.title_text, self.body, self.choices = title, body, choices

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label(lit(self.title_text, "bold"), classes="dialog-title")
            yield Label(lit(self.body))
            with Horizontal(classes="buttons"):
                for index, (key, label) in enumerate(self.choices):
                    yield Button(label, id=f"choice-{key}",
                                 variant="primary" if index == 0 else "default")

    def on_mount(self) -> None:
        self.query_one(Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))

    def action_first(self) -> None:
        self.dismiss(self.choices[0][0])
