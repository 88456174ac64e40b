"""Customer-chatbot commands: `kb`, `ask`, `channel` (DESIGN §3 style: one-line errors)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from spacrm.adapters.cli.main import UserError, _with_db, print_json
from spacrm.core.settings import get_settings
from spacrm.intents.texts import t

MAX_SUGGESTIONS = 10


def say(key: str, **params: Any) -> str:
    """A command-line message in the operator's language (SPACRM_LANG, Vietnamese by default)."""
    return t(get_settings().lang, key, **params)


def import_error(exc: Any) -> str:
    """A Q&A file error (`QAImportError`) in the operator's language."""
    code = getattr(exc, "code", "")
    return say(f"cli.import.{code}", **exc.params) if code else str(exc)


def add_parsers(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    kb = sub.add_parser("kb", help="train the customer chatbot (question/answer pairs)")
    ksub = kb.add_subparsers(dest="action", required=True)
    imp = ksub.add_parser(
        "import", help="import a csv/xlsx with columns id,question,answer[,variants]"
    )
    imp.add_argument("file")
    imp.add_argument("--replace", action="store_true", help="remove pairs that are not in the file")
    ksub.add_parser("list", help="list the trained pairs")
    add = ksub.add_parser("add", help="add or replace one pair")
    add.add_argument("id")
    add.add_argument("--question", required=True)
    add.add_argument("--answer", required=True)
    add.add_argument("--variants", default="", help="other phrasings separated by |")
    rm = ksub.add_parser("remove", help="remove one pair")
    rm.add_argument("id")
    sug = ksub.add_parser(
        "suggest",
        help="ask Gemini for more phrasings of a pair's question (needs SPACRM_GEMINI_API_KEY)",
    )
    sug.add_argument("id")
    sug.add_argument("-n", type=int, default=5, help="how many phrasings to ask for (1-10)")
    ksub.add_parser("suggestions", help="list suggested phrasings waiting for approval")
    ksub.add_parser("drafts", help="list knowledge-base articles drafted from resolved cases")
    appr = ksub.add_parser(
        "approve", help="approve a suggested phrasing (its number) or a drafted article (its id)"
    )
    appr.add_argument("id")
    rej = ksub.add_parser(
        "reject", help="reject a suggested phrasing (its number) or discard a drafted article"
    )
    rej.add_argument("id")
    from spacrm.adapters.cli import kb_training_cmds

    kb_training_cmds.add_parsers(ksub)

    ask = sub.add_parser("ask", help="answer a customer question from the trained Q&A")
    ask.add_argument(
        "--json", action="store_true", help="print {answer, match, confidence, handoff}"
    )
    ask.add_argument("text", nargs="?", help="the question (default: one per line from stdin)")

    ch = sub.add_parser("channel", help="connect Facebook pages and the Zalo OA")
    csub = ch.add_subparsers(dest="action", required=True)
    cadd = csub.add_parser(
        "add",
        help="connect a Facebook page or the Zalo OA; `widget` names the website widget's staff",
    )
    cadd.add_argument("kind", choices=["facebook", "zalo", "widget"])
    cadd.add_argument("--page-id")
    cadd.add_argument("--page-token")
    cadd.add_argument("--oa-id")
    cadd.add_argument("--app-id")
    cadd.add_argument("--oa-secret-key")
    cadd.add_argument("--access-token")
    cadd.add_argument("--refresh-token")
    cadd.add_argument("--name", default="")
    cadd.add_argument("--assign-to", default="", help="staff logins, comma separated (round-robin)")
    csub.add_parser("list", help="list connected channels")
    crm = csub.add_parser("remove", help="disconnect a page or OA")
    crm.add_argument("kind", choices=["facebook", "zalo", "widget"])
    crm.add_argument("id")


async def cmd_kb(args: argparse.Namespace) -> int:
    from spacrm.adapters.cli import kb_training_cmds
    from spacrm.core.services import kb
    from spacrm.knowledge.importer import QAImportError, load_qa_file

    if args.action in kb_training_cmds.ACTIONS:
        return await kb_training_cmds.run(args)
    rows: list[kb.QAData] = []
    if args.action == "import":
        try:
            pairs = load_qa_file(args.file)
        except FileNotFoundError as exc:
            raise UserError(say("cli.kb.file_not_found", file=args.file)) from exc
        except QAImportError as exc:
            raise UserError(
                say("cli.kb.import_failed", file=args.file, reason=import_error(exc))
            ) from exc
        rows = [kb.QAData(p.id, p.question, p.answer, p.variants) for p in pairs]

    if args.action == "suggest":
        return await _kb_suggest(args)
    if args.action in ("suggestions", "drafts", "approve", "reject"):
        return await _with_db(lambda: _kb_review(args))

    async def run() -> int:
        if args.action == "import":
            created, updated = await kb.import_pairs(rows, replace=args.replace)
            print(say("cli.kb.imported", count=len(rows), created=created, updated=updated))
        elif args.action == "list":
            for p in await kb.approved_pairs():
                extra = say("cli.kb.variants", count=len(p.variants)) if p.variants else ""
                print(f"{p.id:28} {p.question}{extra}")
        elif args.action == "add":
            variants = tuple(v for v in args.variants.split("|") if v.strip())
            try:
                new = await kb.add_pair(kb.QAData(args.id, args.question, args.answer, variants))
            except ValueError as exc:
                raise UserError(str(exc)) from exc
            print(say("cli.kb.added" if new else "cli.kb.updated", id=args.id))
        elif args.action == "remove":
            if not await kb.remove_pair(args.id):
                raise UserError(say("cli.kb.no_pair", id=args.id))
            print(say("cli.kb.removed", id=args.id))
        return 0

    return await _with_db(run)


async def _kb_suggest(args: argparse.Namespace) -> int:
    """#36 "help train the AI": Gemini proposes phrasings; they count once approved."""
    from spacrm.adapters.gemini.setup import make_llm
    from spacrm.core.services import kb
    from spacrm.knowledge.answering import LLMError, suggest_variants

    settings = get_settings()
    if not 1 <= args.n <= MAX_SUGGESTIONS:
        raise UserError(say("cli.kb.bad_n", max=MAX_SUGGESTIONS))
    llm = make_llm(settings)
    if llm is None:
        raise UserError(say("cli.kb.needs_gemini"))

    async def run() -> int:
        pair = next((p for p in await kb.approved_pairs() if p.id == args.id), None)
        if pair is None:
            raise UserError(say("cli.kb.no_pair", id=args.id))
        try:
            texts = await suggest_variants(
                pair.question, llm, args.n, timeout=settings.gemini_timeout
            )
        except LLMError as exc:
            raise UserError(say("cli.kb.gemini_failed", error=exc)) from exc
        finally:
            close = getattr(llm, "aclose", None)
            if close is not None:
                await close()
        stored = await kb.suggest(pair.id, texts)
        if not stored:
            print(say("cli.kb.no_new_phrasings", id=pair.id))
        for sug in stored:
            print(f"{sug.id:6} {sug.text}")
        if stored:
            print(say("cli.kb.suggestions_wait", count=len(stored), id=pair.id))
        return 0

    return await _with_db(run)


async def _kb_review(args: argparse.Namespace) -> int:
    from spacrm.core.errors import DomainError
    from spacrm.core.services import kb

    if args.action == "suggestions":
        rows = await kb.pending_suggestions()
        if not rows:
            print(say("cli.kb.no_suggestions"))
        for sug in rows:
            print(f"{sug.id:6} {sug.qa_id:28} {sug.text}")
        return 0
    if args.action == "drafts":
        drafts = await kb.draft_articles()
        if not drafts:
            print(say("cli.kb.no_drafts"))
        for rec in drafts:
            print(f"{rec.id:16} {rec.question[:60]}  ->  {rec.answer[:60]}")
        return 0
    approve = args.action == "approve"
    if args.id.isdigit():
        if not await kb.decide_suggestion(int(args.id), approve=approve):
            raise UserError(say("cli.kb.no_pending", id=args.id))
        key = "cli.kb.suggestion_approved" if approve else "cli.kb.suggestion_rejected"
        print(say(key, id=args.id))
        return 0
    try:
        if approve:
            await kb.approve_article(None, pair_id=args.id)
        elif not await kb.discard_article(None, pair_id=args.id):
            raise UserError(say("cli.kb.no_draft", id=args.id))
    except DomainError as exc:
        raise UserError(say("cli.kb.no_draft", id=args.id)) from exc
    print(say("cli.kb.article_approved" if approve else "cli.kb.article_discarded", id=args.id))
    return 0


async def cmd_ask(args: argparse.Namespace) -> int:
    from spacrm.adapters.gemini.setup import make_llm
    from spacrm.bot.customer_engine import CustomerEngine
    from spacrm.intents.customer.texts import CUSTOMER

    settings = get_settings()

    async def run() -> int:
        llm = make_llm(settings)
        engine = CustomerEngine(llm=llm, llm_timeout=settings.gemini_timeout)
        try:
            await _answer_lines(engine, args)
        finally:
            close = getattr(llm, "aclose", None)
            if close is not None:
                await close()
        return 0

    async def _answer_lines(engine: CustomerEngine, args: argparse.Namespace) -> None:
        lines = [args.text] if args.text is not None else (line.rstrip("\n") for line in sys.stdin)
        for line in lines:
            result = await engine.reply(line)
            text = CUSTOMER["handoff"] if result.handoff else result.text
            offer = (await engine.knowledge.current()).get(result.suggested or "")
            if result.handoff and offer is not None:
                # As the channels say it: the hand-off, and meanwhile the pair it most likely is.
                text += "\n" + CUSTOMER["offer"].format(question=offer.question)
            if args.json:
                print_json({
                    "answer": text, "match": result.match,
                    "confidence": round(result.confidence, 3), "handoff": result.handoff,
                    "offer": None if offer is None else offer.id,
                })  # fmt: skip
            else:
                print(text, flush=True)

    return await _with_db(run)


async def cmd_channel(args: argparse.Namespace) -> int:
    from spacrm.core.services import channels, users

    if args.action == "add":
        if args.kind == "widget":
            if not args.assign_to.strip():
                raise UserError(say("cli.channel.widget_needs_staff"))
            external, token = channels.WIDGET_ID, ""
        elif args.kind == "facebook":
            if not args.page_id or not args.page_token:
                raise UserError(say("cli.channel.fb_needs"))
            external, token = args.page_id, args.page_token
        else:
            missing = [
                flag for flag, value in (
                    ("--oa-id", args.oa_id), ("--app-id", args.app_id),
                    ("--oa-secret-key", args.oa_secret_key), ("--access-token", args.access_token),
                    ("--refresh-token", args.refresh_token),
                ) if not value
            ]  # fmt: skip
            if missing:
                raise UserError(say("cli.channel.zalo_needs", flags=", ".join(missing)))
            external, token = args.oa_id, args.access_token

    async def run() -> int:
        if args.action == "add":
            logins = [x for x in args.assign_to.split(",") if x.strip()]
            assignees = await channels.resolve_logins(logins)
            try:
                channel, created = await channels.add_channel(
                    args.kind, external, access_token=token, name=args.name,
                    refresh_token=args.refresh_token, app_id=args.app_id,
                    secret_key=args.oa_secret_key, assignee_ids=assignees,
                )  # fmt: skip
            except channels.ChannelError as exc:
                raise UserError(str(exc)) from exc
            who = say("cli.channel.assigned", logins=", ".join(logins)) if logins else ""
            key = "cli.channel.connected" if created else "cli.channel.updated"
            print(say(key, kind=channel.kind, id=channel.external_id, who=who))
        elif args.action == "list":
            for ch in await channels.list_channels():
                by_id = await users.logins_by_id(list(ch.assignees or []))
                staff = ",".join(by_id.get(int(i), str(i)) for i in ch.assignees or []) or "-"
                print(f"{ch.kind:9} {ch.external_id:24} {say('cli.channel.staff')}: {staff}")
        elif args.action == "remove":
            if not await channels.remove_channel(args.kind, args.id):
                raise UserError(say("cli.channel.no_channel", kind=args.kind, id=args.id))
            print(say("cli.channel.removed", kind=args.kind, id=args.id))
        return 0

    return await _with_db(run)


COMMANDS: dict[str, Callable[[argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "kb": cmd_kb,
    "ask": cmd_ask,
    "channel": cmd_channel,
}
