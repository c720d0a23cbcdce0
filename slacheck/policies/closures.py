"""A faster CEL engine: cel-python's parse tree turned into nested Python closures.

cel-python's interpreter walks the parse tree on every evaluation, through
lark's visitor and run-time type casts. This engine walks the tree once,
when a rule is compiled, and builds one Python function per node that
calls the next ones directly. No Python source is generated and nothing is
executed with ``exec``. Each closure keeps only its child closures and the
parse tree node it reports errors at, so threads share nothing that changes.

Each node does what cel-python's ``Evaluator`` method for that node does.
It calls the same operator and function implementations
(``celpy.evaluation``'s ``base_functions`` plus slacheck's mixed-number
operators). It returns the same ``CELEvalError`` values and messages at
the same tree positions, and lets the same exceptions propagate. An expression that uses a construct
this module does not cover (message construction, the ``reduce`` and
``min`` macros) raises :class:`Unsupported` here, and
the caller runs it on cel-python's interpreter instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import reduce
from typing import Any

import lark
from celpy import celtypes
from celpy.evaluation import (
    Activation,
    CELEvalError,
    Evaluator,
    NameContainer,
    eval_error,
)

Env = dict[str, Any]
Node = Callable[[Env], Any]

# The folds of all() and exists(), wrapped as cel-python wraps them.
_AND: Callable[[Any, Any], Any] = eval_error("no such overload", TypeError)(
    celtypes.logical_and
)
_OR: Callable[[Any, Any], Any] = eval_error("no such overload", TypeError)(
    celtypes.logical_or
)

_OPERATOR_NAMES = {
    "relation_lt": "_<_",
    "relation_le": "_<=_",
    "relation_ge": "_>=_",
    "relation_gt": "_>_",
    "relation_eq": "_==_",
    "relation_ne": "_!=_",
    "relation_in": "_in_",
    "addition_add": "_+_",
    "addition_sub": "_-_",
    "multiplication_div": "_/_",
    "multiplication_mul": "_*_",
    "multiplication_mod": "_%_",
    "unary_not": "!_",
    "unary_neg": "-_",
}
# The exceptions each operator node turns into an error value, with the text.
_RELATION_ERRORS: tuple[tuple[type[Exception], str], ...] = ()
_ADDITION_ERRORS = (
    (ValueError, "return error for overflow"),
    (OverflowError, "return error for overflow"),
)
_MULTIPLICATION_ERRORS = (
    (ZeroDivisionError, "modulus or divide by zero"),
    *_ADDITION_ERRORS,
)
_UNSUPPORTED_METHODS = frozenset({"reduce", "min"})


# The grammar rules this engine compiles, with the method that builds each.
_BUILDERS = {
    rule: f"_{rule}"
    for rule in (
        "expr",
        "conditionalor",
        "conditionaland",
        "relation",
        "addition",
        "multiplication",
        "unary",
        "member",
        "member_dot",
        "member_dot_arg",
        "member_index",
        "primary",
        "exprlist",
    )
}


class Unsupported(Exception):
    """A construct this engine leaves to cel-python's interpreter."""


class Compiler:
    """Compiler of parse trees into closures, with the functions of ``base``."""

    def __init__(self, base: Activation) -> None:
        self.base = base
        self.functions: Mapping[str, Any] = base.functions

    def compile(self, tree: lark.Tree) -> Node:
        builder = _BUILDERS.get(tree.data)
        if builder is None:
            raise Unsupported(tree.data)
        node: Node = getattr(self, builder)(tree)
        return node

    def lookup(self, env: Env, name: str) -> Any:
        """Return a variable as cel-python resolves it: locals, then the base."""
        if name in env:
            return env[name]
        return self.base.resolve_variable(name)

    # A rule with one child passes its value on (trees may still contain these).
    def _pass_or(self, tree: lark.Tree, build: Callable[[lark.Tree], Node]) -> Node:
        if len(tree.children) == 1:
            return self.compile(tree.children[0])
        if len(tree.children) != 2:
            raise Unsupported(tree.data)
        return build(tree)

    def _member(self, tree: lark.Tree) -> Node:
        return self.compile(tree.children[0])

    def _expr(self, tree: lark.Tree) -> Node:
        if len(tree.children) == 1:
            return self.compile(tree.children[0])
        if len(tree.children) != 3:
            raise Unsupported(tree.data)
        return self._conditional(tree)

    def _conditional(self, tree: lark.Tree) -> Node:
        condition, then, otherwise = (self.compile(c) for c in tree.children)
        function = self.functions["_?_:_"]

        def node(env: Env) -> Any:
            chosen = condition(env)
            left = right = celtypes.BoolType(False)
            try:
                if chosen:
                    left = then(env)
                else:
                    right = otherwise(env)
                return function(chosen, left, right)
            except TypeError as ex:
                message = (
                    "found no matching overload for _?_:_ "
                    f"applied to '({type(chosen)}, {type(left)}, {type(right)})'"
                )
                return _error(message, ex, tree)

        return node

    def _conditionalor(self, tree: lark.Tree) -> Node:
        return self._pass_or(tree, lambda t: self._logical(t, "_||_"))

    def _conditionaland(self, tree: lark.Tree) -> Node:
        return self._pass_or(tree, lambda t: self._logical(t, "_&&_"))

    def _logical(self, tree: lark.Tree, name: str) -> Node:
        first, second = (self.compile(c) for c in tree.children)
        function = self.functions[name]

        def node(env: Env) -> Any:
            left, right = first(env), second(env)
            try:
                return function(left, right)
            except TypeError as ex:
                message = (
                    f"found no matching overload for {name} "
                    f"applied to '({type(left)}, {type(right)})'"
                )
                return _error(message, ex, tree)

        return node

    def _relation(self, tree: lark.Tree) -> Node:
        return self._pass_or(tree, lambda t: self._binary(t, _RELATION_ERRORS))

    def _addition(self, tree: lark.Tree) -> Node:
        return self._pass_or(tree, lambda t: self._binary(t, _ADDITION_ERRORS))

    def _multiplication(self, tree: lark.Tree) -> Node:
        return self._pass_or(tree, lambda t: self._binary(t, _MULTIPLICATION_ERRORS))

    def _binary(
        self, tree: lark.Tree, errors: tuple[tuple[type[Exception], str], ...]
    ) -> Node:
        operator_tree, right_tree = tree.children
        if len(operator_tree.children) != 1:
            raise Unsupported(operator_tree.data)
        rule = operator_tree.data
        function = self.functions[_OPERATOR_NAMES[rule]]
        first = self.compile(operator_tree.children[0])
        second = self.compile(right_tree)
        caught = tuple(kind for kind, _ in errors)

        def node(env: Env) -> Any:
            left, right = first(env), second(env)
            try:
                return function(left, right)
            except TypeError as ex:
                message = (
                    f"found no matching overload for {rule!r} "
                    f"applied to '({type(left)}, {type(right)})'"
                )
                return _error(message, ex, tree)
            except caught as ex:
                return _error(_text(errors, ex), ex, tree)

        return node

    def _unary(self, tree: lark.Tree) -> Node:
        if len(tree.children) == 1:
            return self.compile(tree.children[0])
        if len(tree.children) != 2:
            raise Unsupported(tree.data)
        operator_tree, operand_tree = tree.children
        if operator_tree.children:
            raise Unsupported(operator_tree.data)
        rule = operator_tree.data
        function = self.functions[_OPERATOR_NAMES[rule]]
        operand = self.compile(operand_tree)

        def node(env: Env) -> Any:
            right = operand(env)
            try:
                return function(right)
            except TypeError as ex:
                message = (
                    f"found no matching overload for {rule!r} "
                    f"applied to '({type(right)})'"
                )
                return _error(message, ex, tree)
            except ValueError as ex:
                return _error("return error for overflow", ex, tree)

        return node

    def _member_dot(self, tree: lark.Tree) -> Node:
        member_tree, name_token = tree.children
        member = self.compile(member_tree)
        name = str(_token(name_token).value)

        def node(env: Env) -> Any:
            value = member(env)
            if isinstance(value, CELEvalError):
                return value
            if isinstance(value, NameContainer):
                if name in value:
                    return value[name].value
                message = f"No {name!r} in bindings {sorted(value.keys())}"
                return CELEvalError(message, KeyError, None, tree=tree)
            if isinstance(value, celtypes.MessageType):
                return value.get(name)
            if isinstance(value, celtypes.MapType):
                try:
                    return value[name]
                except KeyError:
                    message = f"no such member in mapping: {name!r}"
                    return CELEvalError(message, KeyError, None, tree=tree)
            message = (
                f"{value!r} with type: '{type(value)}' does not support field selection"
            )
            return CELEvalError(message, TypeError, None, tree=tree)

        return node

    def _member_index(self, tree: lark.Tree) -> Node:
        member_tree, index_tree = tree.children
        member, index = self.compile(member_tree), self.compile(index_tree)
        function = self.functions["_[_]"]

        def node(env: Env) -> Any:
            container, key = member(env), index(env)
            try:
                return function(container, key)
            except TypeError as ex:
                message = (
                    "found no matching overload for _[_] "
                    f"applied to '({type(container)}, {type(key)})'"
                )
                return _error(message, ex, tree)
            except KeyError as ex:
                return _error("no such key", ex, tree)
            except IndexError as ex:
                return _error("invalid_argument", ex, tree)

        return node

    def _member_dot_arg(self, tree: lark.Tree) -> Node:
        member_tree, name_token = tree.children[:2]
        token = _token(name_token)
        name = str(token.value)
        if name in _UNSUPPORTED_METHODS:
            raise Unsupported(name)
        if name in _MACROS:
            return self._macro(tree, name)
        member = self.compile(member_tree)
        arguments = self._exprlist(tree.children[2]) if len(tree.children) > 2 else None
        return self._method(member, token, arguments)

    def _method(self, member: Node, token: lark.Token, arguments: Node | None) -> Node:
        function = self.functions.get(token.value)

        def node(env: Env) -> Any:
            target = member(env)
            values = arguments(env) if arguments is not None else None
            if function is None:
                message = f"undeclared reference to {token.value!r} (in activation)"
                return CELEvalError(message, KeyError, (token.value,), token=token)
            if isinstance(target, CELEvalError):
                return target
            if isinstance(values, CELEvalError):
                return values
            return _call(function, token, target, *(values or []))

        return node

    def _macro(self, tree: lark.Tree, name: str) -> Node:
        # Other shapes fail inside cel-python when evaluated, so leave them to it.
        if len(tree.children) != 3 or len(tree.children[2].children) != 2:
            raise Unsupported("macro arguments")
        member_tree, _, arguments = tree.children
        variable_tree, body_tree = arguments.children
        idents = list(variable_tree.find_data("ident"))
        if len(idents) != 1:
            raise Unsupported("macro variable")
        variable = str(_token(idents[0].children[0]).value)
        member, body = self.compile(member_tree), self.compile(body_tree)
        bind, apply = _MACROS[name]

        def node(env: Env) -> Any:
            items = member(env)
            if isinstance(items, CELEvalError):
                return items
            return apply(items, bind(body, variable, env))

        return node

    def _exprlist(self, tree: lark.Tree) -> Node:
        items = [self.compile(c) for c in tree.children]

        def node(env: Env) -> Any:
            values = [item(env) for item in items]
            for value in values:
                if isinstance(value, CELEvalError):
                    return value
            return celtypes.ListType(values)

        return node

    def _primary(self, tree: lark.Tree) -> Node:
        if len(tree.children) != 1:
            raise Unsupported(tree.data)
        child = tree.children[0]
        kind = child.data
        if kind == "literal":
            return self._literal(child)
        if kind == "paren_expr":
            return self.compile(child.children[0])
        if kind == "list_lit":
            return self._list(child)
        if kind == "map_lit":
            return self._map(child, tree)
        if kind == "dot_ident":
            return self._ident(child, tree, rooted=True)
        if kind == "ident":
            return self._ident(child, tree, rooted=False)
        if kind == "ident_arg":
            return self._function(child)
        if kind == "dot_ident_arg":
            return self._rooted_call(child, tree)
        raise Unsupported(kind)

    def _rooted_call(self, tree: lark.Tree, primary: lark.Tree) -> Node:
        """Build ``.name(...)``, which cel-python evaluates as the variable.

        It evaluates the arguments first, then drops them.
        """
        variable = self._ident(tree, primary, rooted=True)
        if len(tree.children) < 2:
            return variable
        arguments = self._exprlist(tree.children[1])

        def node(env: Env) -> Any:
            arguments(env)
            return variable(env)

        return node

    def _literal(self, tree: lark.Tree) -> Node:
        try:
            value = Evaluator(tree, self.base).literal(tree)
        except Exception as ex:  # cel-python raises these when evaluating
            raise Unsupported("literal") from ex
        # Only immutable values are shared between evaluations.
        if isinstance(value, (CELEvalError, list, dict)):
            raise Unsupported("literal")

        def node(env: Env) -> Any:
            return value

        return node

    def _list(self, tree: lark.Tree) -> Node:
        if not tree.children:
            return lambda env: celtypes.ListType()
        return self._exprlist(tree.children[0])

    def _map(self, tree: lark.Tree, primary: lark.Tree) -> Node:
        if not tree.children:
            return lambda env: celtypes.MapType()
        parts = [self.compile(c) for c in tree.children[0].children]

        def node(env: Env) -> Any:
            try:
                values = [part(env) for part in parts]
                result = celtypes.MapType()
                for key, value in zip(values[0::2], values[1::2], strict=False):
                    if key in result:
                        raise ValueError(f"Duplicate key {key!r}")
                    result[key] = value
                return result
            except (ValueError, TypeError) as ex:
                return CELEvalError(ex.args[0], ex.__class__, ex.args, tree=primary)

        return node

    def _ident(self, tree: lark.Tree, primary: lark.Tree, rooted: bool) -> Node:
        name = str(tree.children[0])
        lookup = self.lookup

        def node(env: Env) -> Any:
            try:
                return lookup(env, name)
            except KeyError as ex:
                if rooted:
                    return CELEvalError(ex.args[0], ex.__class__, ex.args, tree=primary)
                message = f"undeclared reference to '{name}' (in activation)"
                return CELEvalError(message, ex.__class__, ex.args, tree=primary)

        return node

    def _function(self, tree: lark.Tree) -> Node:
        token = _token(tree.children[0])
        argument_trees = tree.children[1].children if len(tree.children) == 2 else []
        if len(tree.children) > 2:
            raise Unsupported(tree.data)
        arguments = [self.compile(c) for c in argument_trees]
        if token.value == "has":
            return self._has(arguments)
        if token.value == "dyn":
            return self._dyn(arguments)
        function = self.functions.get(token.value)

        def node(env: Env) -> Any:
            values = [argument(env) for argument in arguments]
            if function is None:
                message = f"undeclared reference to '{token}' (in activation)"
                return CELEvalError(message, KeyError, (token.value,), token=token)
            for value in values:
                if isinstance(value, CELEvalError):
                    return value
            return _call(function, token, *values)

        return node

    def _has(self, arguments: list[Node]) -> Node:
        def node(env: Env) -> Any:
            values = [argument(env) for argument in arguments]
            return celtypes.BoolType(not isinstance(values[0], CELEvalError))

        return node

    def _dyn(self, arguments: list[Node]) -> Node:
        def node(env: Env) -> Any:
            values = [argument(env) for argument in arguments]
            return values[0]

        return node


Item = Callable[[Any], Any]


def _strict(body: Node, variable: str, env: Env) -> Item:
    """Evaluate the macro body for one item, raising an error value."""

    def run(item: Any) -> Any:
        value = body({**env, variable: item})
        if isinstance(value, CELEvalError):
            raise value
        return value

    return run


def _lenient(body: Node, variable: str, env: Env) -> Item:
    """Evaluate the macro body for one item, returning an error value."""

    def run(item: Any) -> Any:
        try:
            return body({**env, variable: item})
        except CELEvalError as ex:
            return ex

    return run


def _map(items: Any, run: Item) -> Any:
    return celtypes.ListType(map(run, items))


def _filter(items: Any, run: Item) -> Any:
    return celtypes.ListType(filter(run, items))


def _all(items: Any, run: Item) -> Any:
    return reduce(_AND, map(run, items), celtypes.BoolType(True))


def _exists(items: Any, run: Item) -> Any:
    return reduce(_OR, map(run, items), celtypes.BoolType(False))


def _exists_one(items: Any, run: Item) -> Any:
    count = sum(1 for item in items if bool(run(item)))
    return celtypes.BoolType(count == 1)


# Each macro as cel-python runs it: how the body reports errors, then the fold.
_MACROS: dict[str, tuple[Callable[[Node, str, Env], Item], Callable[..., Any]]] = {
    "map": (_strict, _map),
    "filter": (_strict, _filter),
    "all": (_lenient, _all),
    "exists": (_lenient, _exists),
    "exists_one": (_strict, _exists_one),
}


def _token(child: Any) -> lark.Token:
    assert isinstance(child, lark.Token), child
    return child


def _call(function: Callable[..., Any], token: lark.Token, *values: Any) -> Any:
    """Call a CEL function the way cel-python's function and method nodes do."""
    try:
        return function(*values)
    except ValueError as ex:
        return _error("return error for overflow", ex, token=token)
    except (TypeError, AttributeError) as ex:
        return _error("no such overload", ex, token=token)


def _error(
    message: str,
    ex: Exception,
    tree: lark.Tree | None = None,
    token: lark.Token | None = None,
) -> CELEvalError:
    value = CELEvalError(message, ex.__class__, ex.args, tree=tree, token=token)
    value.__cause__ = ex
    return value


def _text(errors: tuple[tuple[type[Exception], str], ...], ex: Exception) -> str:
    return next(text for kind, text in errors if isinstance(ex, kind))
