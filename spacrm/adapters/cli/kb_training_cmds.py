"""`spacrm kb test | unanswered | teach | dismiss`: check and improve the customer bot's training
(issue 7). Messages follow SPACRM_LANG (Vietnamese by default)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from spacrm.adapters.cli.main import UserError, _with_db

ACTIONS = frozenset({"test", "unanswered", "teach", "dismiss"})
SHOWN_LINES = 40  # wrong / handed-off lines printed by `kb test` (all with --all)


def add_parsers(ksub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    test = ksub.add_parser(
        "test",
        help="score question -> expected-id lines (`question | id`, `| -` = must hand off, or "
        'JSON lines {"text", "expect"}) against the trained Q&A',
    )
    test.add_argument("file")
    test.add_argument(
        "--faq", help="score this csv/xlsx instead of the trained Q&A in the database"
    )
    test.add_argument("--all", action="store_true", help="list every wrong and handed-off line")
    ksub.add_parser("unanswered", help="questions the bot handed off, grouped by similarity")
    teach = ksub.add_parser(
        "teach", help="turn unanswered question(s) into a phrasing of a pair or a new pair"
    )
    teach.add_argument("numbers", help="question number(s) from `kb unanswered`, e.g. 12,15")
    teach.add_argument("--to", help="existing pair id: add the question(s) as phrasings")
    teach.add_argument("--id", help="new pair id (with --answer)")
    teach.add_argument("--answer", help="the answer of the new pair")
    dismiss = ksub.add_parser("dismiss", help="drop unanswered question(s) from the list")
    dismiss.add_argument("numbers")


async def run(args: argparse.Namespace) -> int:
    if args.action == "test":
        return await _test(args)
    return await _with_db(lambda: _training(args))


def _say(key: str, **params: Any) -> str:
    from spacrm.adapters.cli.customer_cmds import say

    return say(key, **params)


def _read_lines(path: str) -> list[str]:
    # A command-line run: nothing else waits on this loop while the file is read.
    return Path(path).read_text(encoding="utf-8-sig").splitlines()


def _percent(value: float) -> str:
    return f"{value:.1%}"


async def _test(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli.customer_cmds import import_error
    from spacrm.intents.customer.decide import decide
    from spacrm.knowledge.evaluation import CaseFileError, parse_cases, score
    from spacrm.knowledge.importer import QAImportError, load_qa_file
    from spacrm.knowledge.qa import QAPair
    from spacrm.knowledge.retrieval import Retriever

    try:
        cases = parse_cases(_read_lines(args.file))
    except FileNotFoundError as exc:
        raise UserError(_say("cli.kb.file_not_found", file=args.file)) from exc
    except (CaseFileError, UnicodeDecodeError) as exc:
        raise UserError(_say("cli.kb.test_bad_file", file=args.file, reason=exc)) from exc
    if args.faq:
        try:
            pairs = load_qa_file(args.faq)
        except FileNotFoundError as exc:
            raise UserError(_say("cli.kb.file_not_found", file=args.faq)) from exc
        except QAImportError as exc:
            raise UserError(
                _say("cli.kb.import_failed", file=args.faq, reason=import_error(exc))
            ) from exc
    else:
        from spacrm.core.services import kb

        async def load() -> int:
            pairs.extend(
                QAPair(p.id, p.question, p.answer, p.variants) for p in await kb.approved_pairs()
            )
            return 0

        pairs = []
        await _with_db(load)
    if not pairs:
        raise UserError(_say("cli.kb.test_no_pairs"))
    retriever = Retriever(pairs, semantic=True)  # what the channels answer with
    report = score(cases, lambda text: decide(text, retriever))
    answered_off = report.handoff_due - report.handoff_done
    print(_say("cli.kb.test_header", total=len(cases), file=args.file))
    print(_say("cli.kb.test_right", right=report.right, in_scope=report.in_scope,
               rate=_percent(report.right_rate)))  # fmt: skip
    print(_say("cli.kb.test_wrong", wrong=report.wrong + answered_off,
               rate=_percent(report.wrong_rate), wrong_pair=report.wrong,
               answered_off=answered_off))  # fmt: skip
    print(_say("cli.kb.test_handoff", done=report.handoff_done, due=report.handoff_due,
               rate=_percent(report.handoff_rate)))  # fmt: skip
    if report.offered:
        print(_say("cli.kb.test_offered", offered=report.offered, right=report.offered_right))
    limit = None if args.all else SHOWN_LINES
    for text, expect, got in report.wrong_cases[:limit]:
        key = "cli.kb.test_wrong_pair" if expect else "cli.kb.test_answered_off"
        print(_say(key, text=text, expect=expect, got=got))
    for text, expect, _ in report.missed_cases[:limit]:
        print(_say("cli.kb.test_missed", text=text, expect=expect))
    return 0


def _numbers(value: str) -> list[int]:
    parts = [p.strip().lstrip("#") for p in value.replace(" ", ",").split(",") if p.strip()]
    if not parts or not all(p.isdigit() for p in parts):
        raise UserError(_say("cli.kb.bad_numbers", value=value))
    return [int(p) for p in parts]


async def _training(args: argparse.Namespace) -> int:
    from spacrm.core.errors import DomainError, ErrorCode
    from spacrm.core.services import kb_training
    from spacrm.knowledge.grouping import group_questions

    if args.action == "unanswered":
        rows = await kb_training.open_questions()
        if not rows:
            print(_say("cli.kb.unanswered_none"))
            return 0
        for group in group_questions([(row.id, row.text) for row in rows]):
            ids = ",".join(str(i) for i in group.ids)
            print(_say("cli.kb.unanswered_group", count=group.count, ids=ids, text=group.texts[0]))
            others = list(dict.fromkeys(group.texts[1:]))[:3]
            if others:
                print(_say("cli.kb.unanswered_more", texts=" · ".join(others)))
        print(_say("cli.kb.unanswered_hint"))
        return 0
    numbers = _numbers(args.numbers)
    if args.action == "dismiss":
        count = await kb_training.dismiss_questions(None, question_ids=numbers)
        print(_say("cli.kb.dismissed", count=count))
        return 0
    try:
        if args.to:
            added = await kb_training.teach_variant(None, question_ids=numbers, pair_id=args.to)
            print(_say("cli.kb.taught_variant", added=added, id=args.to))
        elif args.id and args.answer:
            await kb_training.teach_new_pair(
                None, question_ids=numbers, pair_id=args.id, answer=args.answer
            )
            print(_say("cli.kb.taught_new", id=args.id, count=len(numbers)))
        else:
            raise UserError(_say("cli.kb.teach_needs"))
    except DomainError as exc:
        if exc.code == ErrorCode.INVALID_VALUE:
            raise UserError(_say("cli.kb.teach_bad_id", id=args.id)) from exc
        raise UserError(
            _say("cli.kb.teach_not_found", ids=args.numbers, id=args.to or args.id)
        ) from exc
    return 0
