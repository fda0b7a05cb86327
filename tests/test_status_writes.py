"""Every state machine's status is written by the transition helper, and nowhere else.

A status written around the helper skips its table and its history row: the inactivity sweep
once banned shops with a bare UPDATE and left no trace of who or why. This test reads the
project's source and fails on any write of a ``status`` it cannot prove belongs to a model
without a transition table (import jobs, exports, support tickets…):

  ``x.status = …``, ``setattr(x, "status", …)``, ``.update(status=…)`` (also ``**{"status": …}``
  and ``**changes`` built from such a dict), ``save(update_fields=[…"status"…])`` without a
  proven assignment before it, ``bulk_update(…, ["status", …])``, ``update_or_create``
  defaults with a status, raw ``UPDATE … SET status``, and creating a row of a state machine in
  any status but its first (``create(status=…)``, ``Model(status=…)``).

A write is proven harmless when the model it touches is named: by the queryset's root
(``SupportTicket.objects…``) or by the value (``ImportJob.Status.DONE``, also through a module
alias such as ``S = Product.Status``).
"""

import ast
import os
import re
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.test import RequestFactory

from common import transitions

ROOT = Path(settings.BASE_DIR)
HELPER = Path(transitions.__file__).relative_to(ROOT).as_posix()
# Source that may set statuses directly, and why.
EXEMPT = {
    HELPER: "the transition helper itself",
    "tests/": "tests build rows in the state they need",
    "bench/": "benchmark data seeded in bulk, not product behaviour",
    "sellercenter/demo/shop.py": "demo data seeded in its final states",
    "sellercenter/demo/returns.py": "demo returns written with the history of each step",
    "sellercenter/demo/onboarding.py": "a demo shop's approved verification, with its history",
}
SKIP_DIRS = {"node_modules", "static", "staticfiles", "media", "migrations", "__pycache__"}
RAW_STATUS_UPDATE = re.compile(r"\bUPDATE\b.*\bSET\b.*\bstatus\b\s*=", re.I | re.S)


def state_machines() -> dict[str, type]:
    return {m.__name__: m for m in apps.get_models() if hasattr(m, "ALLOWED")}


def other_models_with_status() -> set[str]:
    machines = state_machines()
    return {
        m.__name__
        for m in apps.get_models()
        if m.__name__ not in machines and any(f.name == "status" for f in m._meta.fields)
    }


def project_sources() -> list[Path]:
    found = []
    for folder, subfolders, files in os.walk(ROOT):
        subfolders[:] = [d for d in subfolders if d not in SKIP_DIRS and not d.startswith(".")]
        for file in files:
            path = Path(folder) / file
            name = path.relative_to(ROOT).as_posix()
            exempt = any(name == e or (e.endswith("/") and name.startswith(e)) for e in EXEMPT)
            if file.endswith(".py") and not exempt:
                found.append(path)
    return found


class StatusWrites(ast.NodeVisitor):
    """Collects ``(line, what)`` for every status write not proven harmless."""

    def __init__(self, tree: ast.Module):
        self.machines = state_machines()
        self.others = other_models_with_status()
        self.aliases = self._module_aliases(tree)
        self.problems: list[tuple[int, str]] = []
        self._function: ast.AST | None = None

    # --- what a node names ---------------------------------------------------------------
    @staticmethod
    def _module_aliases(tree: ast.Module) -> dict[str, str]:
        """``S = Product.Status`` / ``Status = VerificationSubmission.Status`` → {alias: model}."""
        aliases = {}
        for node in tree.body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Attribute)
                and node.value.attr == "Status"
                and isinstance(node.value.value, ast.Name)
            ):
                aliases[node.targets[0].id] = node.value.value.id
        return aliases

    def model_of_value(self, node: ast.AST) -> str | None:
        """``Model.Status.X`` or ``Alias.X`` → Model; both arms of ``a if c else b`` must agree."""
        if isinstance(node, ast.IfExp):
            body, orelse = self.model_of_value(node.body), self.model_of_value(node.orelse)
            return body if body == orelse else None
        if not isinstance(node, ast.Attribute):
            return None
        if node.attr == "status":  # a copy of a status this function set: judged where set
            return self._status_set_in_function(ast.unparse(node.value))
        owner = node.value
        if isinstance(owner, ast.Attribute) and owner.attr == "Status":
            if isinstance(owner.value, ast.Name):
                return owner.value.id
        if isinstance(owner, ast.Name):
            return self.aliases.get(owner.id)
        return None

    def _status_set_in_function(self, receiver: str) -> str | None:
        values = [value for target, value in self._status_assignments() if target == receiver]
        models = {self.model_of_value(v) for v in values if not _reads_status(v)}
        return models.pop() if len(models) == 1 else None

    def _status_assignments(self) -> list[tuple[str, ast.AST | None]]:
        """(receiver, value) of every ``receiver.status = value`` in the current function."""
        found = []
        for assign in ast.walk(self._function) if self._function else ():
            if isinstance(assign, ast.Assign):
                for target in assign.targets:
                    found += [
                        (ast.unparse(t.value), v)
                        for t, v in _pairs(target, assign.value)
                        if isinstance(t, ast.Attribute) and t.attr == "status"
                    ]
        return found

    @staticmethod
    def root_name(node: ast.AST) -> str | None:
        """``Product.objects.filter(…).update`` → "Product"."""
        while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
            node = node.func if isinstance(node, ast.Call) else node.value
        return node.id if isinstance(node, ast.Name) else None

    def harmless(self, *, root: str | None, value: ast.AST | None) -> bool:
        if root in self.machines:
            return False
        if root in self.others:
            return True
        return value is not None and self.model_of_value(value) in self.others

    def flag(self, node: ast.AST, what: str) -> None:
        self.problems.append((node.lineno, what))

    # --- the writes ------------------------------------------------------------------------
    def visit_FunctionDef(self, node):
        outer, self._function = self._function, node
        self.generic_visit(node)
        self._function = outer

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Assign(self, node):
        for target in node.targets:
            self._assigned(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node):
        self._assigned(node.target, node.value)
        self.generic_visit(node)

    def _assigned(self, target, value) -> None:
        for one, val in _pairs(target, value):
            if isinstance(one, ast.Attribute) and one.attr == "status":
                if not self.harmless(root=None, value=val):
                    self.flag(one, f"{ast.unparse(one)} = …")

    def visit_Constant(self, node):
        if isinstance(node.value, str) and RAW_STATUS_UPDATE.search(node.value):
            self.flag(node, "raw SQL UPDATE … SET status")

    def visit_Call(self, node):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else None
        if isinstance(node.func, ast.Name) and node.func.id == "setattr":
            self._setattr(node)
        elif name == "update":
            self._update(node)
        elif name == "save":
            self._save(node)
        elif name == "bulk_update":
            self._bulk_update(node)
        elif name == "update_or_create":
            self._defaults(node)
        if name in ("create", "get_or_create") or isinstance(node.func, ast.Name):
            self._created(node)
        self.generic_visit(node)

    def _setattr(self, node) -> None:
        if len(node.args) == 3 and _is_status(node.args[1]):
            if not self.harmless(root=None, value=node.args[2]):
                self.flag(node, "setattr(…, 'status', …)")

    def _update(self, node) -> None:
        root = self.root_name(node.func)
        for keyword in node.keywords:
            if keyword.arg == "status":
                values = [keyword.value]
            elif keyword.arg is None:
                values = self._status_values_in(keyword.value)
            else:
                continue
            for value in values:
                if not self.harmless(root=root, value=value):
                    self.flag(node, f"{ast.unparse(node.func)}(status=…)")

    def _status_values_in(self, node) -> list[ast.AST]:
        """The status values of ``**{…}`` or of ``**name`` built from a dict in this function."""
        dicts = [node] if isinstance(node, ast.Dict) else []
        if isinstance(node, ast.Name) and self._function is not None:
            dicts = [
                assign.value
                for assign in ast.walk(self._function)
                if isinstance(assign, ast.Assign)
                and isinstance(assign.value, ast.Dict)
                and any(isinstance(t, ast.Name) and t.id == node.id for t in assign.targets)
            ]
        return [v for d in dicts for k, v in zip(d.keys, d.values, strict=True) if _is_status(k)]

    def _save(self, node) -> None:
        fields = next((k.value for k in node.keywords if k.arg == "update_fields"), None)
        if not _lists_status(fields):
            return
        receiver = ast.unparse(node.func.value)
        if receiver not in dict(self._status_assignments()):
            # No assignment this test could judge (each one is judged where it is made).
            self.flag(node, f"{receiver}.save(update_fields=[…'status'…])")

    def _bulk_update(self, node) -> None:
        fields = node.args[1] if len(node.args) > 1 else None
        fields = next((k.value for k in node.keywords if k.arg == "fields"), fields)
        if _lists_status(fields) and not self.harmless(root=self.root_name(node.func), value=None):
            self.flag(node, "bulk_update(…, ['status', …])")

    def _defaults(self, node) -> None:
        for keyword in node.keywords:
            if keyword.arg in ("defaults", "create_defaults"):
                for value in self._status_values_in(keyword.value):
                    if not self.harmless(root=self.root_name(node.func), value=value):
                        self.flag(node, "update_or_create(defaults={'status': …})")

    def _created(self, node) -> None:
        """A state machine's row starts in its first status (the field's default)."""
        model = self.machines.get(self.root_name(node.func) or "")
        status = next((k.value for k in node.keywords if k.arg == "status"), None)
        if model is None or status is None:
            return
        first = model._meta.get_field("status").default
        named = status.attr if isinstance(status, ast.Attribute) else None
        literal = status.value if isinstance(status, ast.Constant) else None
        if named != model.Status(first).name and literal != first:
            self.flag(node, f"{model.__name__} created as {ast.unparse(status)}, not {first}")


def _is_status(node) -> bool:
    return isinstance(node, ast.Constant) and node.value == "status"


def _lists_status(node) -> bool:
    return isinstance(node, (ast.List, ast.Tuple, ast.Set)) and any(map(_is_status, node.elts))


def _pairs(target, value):
    """(target, value) pairs of an assignment, tuples unpacked (value None when unknown)."""
    if isinstance(target, ast.Tuple):
        values = value.elts if isinstance(value, ast.Tuple) else [None] * len(target.elts)
        for one, val in zip(target.elts, values, strict=False):
            yield from _pairs(one, val)
    else:
        yield target, value


def _reads_status(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "status"


def status_writes(source: str) -> list[tuple[int, str]]:
    tree = ast.parse(source)
    visitor = StatusWrites(tree)
    visitor.visit(tree)
    return visitor.problems


def test_no_status_is_written_outside_the_transition_helper():
    found = [
        f"{path.relative_to(ROOT).as_posix()}:{line}: {what}"
        for path in project_sources()
        for line, what in status_writes(path.read_text())
    ]
    assert found == []


@pytest.mark.parametrize(
    "source",
    [
        "def ban(ids):\n    Shop.objects.filter(pk__in=ids).update(status=Shop.Status.BANNED)\n",
        "def relist(qs, now):\n    qs.update(status='live', updated_at=now)\n",
        "S = Product.Status\ndef go(p):\n    p.status = S.LIVE\n    p.save()\n",
        "def go(o, to):\n    o.status = to\n",
        "def go(o, to):\n    o.status, o.note = to, ''\n",
        "def go(o, p):\n    o.status = p.status\n",
        "def go(o, to):\n    setattr(o, 'status', to)\n",
        "def go(o):\n    o.save(update_fields=['status'])\n",
        "def go(qs, to):\n    changes = {'status': to}\n    qs.update(**changes)\n",
        "def go(rows):\n    Order.objects.bulk_update(rows, ['status'])\n",
        "def go(shop):\n    Product.objects.create(shop=shop, status=Product.Status.LIVE)\n",
        "def go(shop):\n    return Shop(name='x', status='active')\n",
        "SQL = 'UPDATE shops_shop SET status = %s WHERE id = %s'\n",
    ],
)
def test_the_check_catches_each_kind_of_write(source):
    """Each way of writing a status around the helper is caught: a check that finds nothing
    must be shown able to find something."""
    assert len(status_writes(source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "def go(job):\n    job.status = ImportJob.Status.DONE\n"
        "    job.save(update_fields=['status'])\n",
        "def go():\n    SweepRun.objects.filter(pk=1).update(status=SweepRun.Status.SKIPPED)\n",
        "def go(docs):\n    docs.update(status=VerificationDocument.Status.VERIFIED)\n",
        "def go(shop):\n    Product.objects.create(shop=shop, status=Product.Status.DRAFT)\n",
        "def go(qs):\n    return qs.filter(status=Order.Status.CANCELLED)\n",
        "def go(t, locked):\n    locked.status = SupportTicket.Status.OPEN\n"
        "    t.status = locked.status\n",
    ],
)
def test_the_check_lets_other_status_fields_and_first_states_be(source):
    assert status_writes(source) == []


def test_every_state_machine_declares_a_full_table_and_its_history_row():
    machines = state_machines()
    assert {
        "Order",
        "Package",
        "ReturnRequest",
        "Product",
        "Shop",
        "Withdrawal",
        "VerificationSubmission",
        "LiveSession",
    } <= set(machines)
    for model in machines.values():
        statuses = set(model.Status.values)
        assert set(model.ALLOWED) == statuses, model
        assert set().union(*model.ALLOWED.values()) <= statuses, model
        assert callable(getattr(model, "history_row", None)), model


@pytest.mark.django_db
def test_no_admin_form_edits_a_state_machine_status(admin_user):
    """Staff change statuses through admin actions (the services), never by editing the field."""
    request = RequestFactory().get("/")
    request.user = admin_user
    for model in state_machines().values():
        model_admin = admin.site._registry.get(model)
        if model_admin is None:
            continue
        row = model()
        editable = set(model_admin.get_fields(request, row)) - set(
            model_admin.get_readonly_fields(request, row)
        )
        assert "status" not in editable, model
