"""Messages of the command line, merged into the lookup in `tabletop.i18n`. Keys start
with `cli.`; the help texts and argparse's own words are in `catalog_cli_help.py`."""

from __future__ import annotations

from tabletop.i18n.catalog_cli_help import ARGPARSE, HELP

RUNNING: dict[str, dict[str, str]] = {
    # validate
    "cli.n.file.one": {"nl": "{n} bestand", "en": "{n} file"},
    "cli.n.file.other": {"nl": "{n} bestanden", "en": "{n} files"},
    "cli.n.error.one": {"nl": "{n} fout", "en": "{n} error"},
    "cli.n.error.other": {"nl": "{n} fouten", "en": "{n} errors"},
    "cli.n.warning.one": {"nl": "{n} waarschuwing", "en": "{n} warning"},
    "cli.n.warning.other": {"nl": "{n} waarschuwingen", "en": "{n} warnings"},
    "cli.n.job.one": {"nl": "{n} proces", "en": "{n} job"},
    "cli.n.job.other": {"nl": "{n} processen", "en": "{n} jobs"},
    "cli.validate.clean": {"nl": "{files}: geen problemen", "en": "{files}: no problems"},
    "cli.validate.summary": {"nl": "{files}: {errors}, {warnings}", "en": "{files}: {errors}, {warnings}"},
    # new
    "cli.new.exists": {"nl": "{path}: bestaat al; kies een andere naam", "en": "{path}: already exists; choose another name"},
    "cli.no_folder": {"nl": "{path}: map bestaat niet", "en": "{path}: no such folder"},
    "cli.new.wrote": {"nl": "{path} geschreven; controleer het met: tabletop validate {path}", "en": "wrote {path}; check it with: tabletop validate {path}"},
    "cli.disk_full": {"nl": "de schijf is vol", "en": "the disk is full"},
    # play, replay, resume, log
    "cli.log_exists": {"nl": "{path}: bestaat al; een logboek wordt nooit overschreven (zet het voort met `tabletop resume {path}`)", "en": "{path}: already exists; a log is never overwritten (resume it with `tabletop resume {path}`)"},
    "cli.no_log": {"nl": "{path}: logboek bestaat niet", "en": "{path}: no such log"},
    "cli.log.torn": {"nl": "regel {line}: onvolledige laatste regel (niet getoond)", "en": "line {line}: incomplete last line (not shown)"},
    "cli.resume.needs_decisions": {"nl": "voortzetten zonder terminal vraagt --decisions BESTAND", "en": "resume without a terminal needs --decisions FILE"},
    "cli.auto_unknown": {"nl": "--auto {role}: geen rol van dit scenario ({known})", "en": "--auto {role}: no such role in this scenario ({known})"},
    "cli.play.log": {"nl": "logboek: {path}", "en": "log: {path}"},
    "cli.at_least": {"nl": "{option} moet minstens {least} zijn (gegeven: {got})", "en": "{option} must be at least {least} (got {got})"},
    "cli.seed_negative": {"nl": "--seed moet 0 of meer zijn (gegeven: {got})", "en": "--seed must be 0 or more (got {got})"},
    "cli.jobs_cpus": {"nl": "--jobs {jobs} is meer dan de {cpus} processoren van deze machine", "en": "--jobs {jobs} is more than this machine's {cpus} CPUs"},
    # simulate
    "cli.sim.head": {"nl": "{title} — {runs} runs, beleid {policy}, seed {seed}", "en": "{title} — {runs} runs, policy {policy}, seed {seed}"},
    "cli.sim.outcome": {"nl": "uitkomst", "en": "outcome"},
    "cli.sim.runs": {"nl": "runs", "en": "runs"},
    "cli.sim.variable": {"nl": "variabele", "en": "variable"},
    "cli.sim.mean": {"nl": "gem.", "en": "mean"},
    "cli.sim.dilemma": {"nl": "dilemma", "en": "dilemma"},
    "cli.sim.decision": {"nl": "besluit", "en": "decision"},
    "cli.sim.choice": {"nl": "keuze", "en": "choice"},
    "cli.sim.dilemmas": {"nl": "dilemma's (runs)", "en": "dilemmas (runs)"},
    "cli.sim.never_fired": {"nl": "nooit verstuurd", "en": "never fired"},
    "cli.sim.never_chosen": {"nl": "nooit gekozen", "en": "never chosen"},
    "cli.sim.never_surfaced": {"nl": "nooit opgekomen", "en": "never surfaced"},
    "cli.sim.speed": {"nl": "{rate} runs/s ({seconds} s, {jobs})", "en": "{rate} runs/s ({seconds} s, {jobs})"},
    # seats and stores
    "cli.exercise_needs_store": {"nl": "--exercise vraagt --store URL (of TABLETOP_STORE)", "en": "--exercise needs --store URL (or TABLETOP_STORE)"},
    "cli.store_url": {"nl": "--store {url}: geef een postgresql://-URL", "en": "--store {url}: give a postgresql:// URL"},
    "cli.store.exists_resume": {"nl": "--exercise {exercise}: staat al in de opslag; kies een andere id (of zet hem voort met `tabletop resume --store … --exercise {exercise}`)", "en": "--exercise {exercise}: already in the store; choose another id (or continue it with `tabletop resume --store … --exercise {exercise}`)"},
    "cli.store.no_such": {"nl": "--exercise {exercise}: deze oefening staat niet in de opslag", "en": "--exercise {exercise}: no such exercise in the store"},
    "cli.log_or_store": {"nl": "geef een LOGBOEK of --store, niet beide", "en": "give a LOG or --store, not both"},
    "cli.logs_or_store": {"nl": "geef LOGBOEKEN of --store, niet beide", "en": "give LOGs or --store, not both"},
    "cli.store_needs_exercise": {"nl": "--store vraagt --exercise ID", "en": "--store needs --exercise ID"},
    "cli.store_one_exercise": {"nl": "--store vraagt één --exercise ID", "en": "--store needs one --exercise ID"},
    "cli.give_log": {"nl": "geef een LOGBOEK (of --store URL --exercise ID)", "en": "give a LOG (or --store URL --exercise ID)"},
    "cli.role_needed": {"nl": "--role ROL is nodig (een van: {seats})", "en": "--role ROLE is needed (one of: {seats})"},
    "cli.role_unknown": {"nl": "--role {role}: geen plaats van deze oefening (kies uit: {seats})", "en": "--role {role}: no seat of this exercise (choose from: {seats})"},
    "cli.codes.revoked": {"nl": "{seat}: code ingetrokken ({path})", "en": "{seat}: code revoked ({path})"},
    "cli.serve.codes": {"nl": "toegangscodes ({path}; intrekken met `tabletop codes --revoke PLAATS`):", "en": "join codes ({path}; revoke with `tabletop codes --revoke SEAT`):"},
    "cli.serve.local": {"nl": "alleen deze machine", "en": "this machine only"},
    "cli.serve.network": {"nl": "het netwerk: iedereen die dit adres bereikt en een code heeft", "en": "the network: anyone who can reach this address and has a code"},
    "cli.serve.on": {"nl": "de plaatsen zijn te bereiken op {url} ({where}; --host kiest een ander adres)", "en": "serving the seats on {url} ({where}; --host chooses another address)"},
    "cli.store.exists": {"nl": "--exercise {exercise}: staat al in de opslag; kies een andere id", "en": "--exercise {exercise}: already in the store; choose another id"},
    "cli.store.exercise": {"nl": "oefening: {exercise}", "en": "exercise: {exercise}"},
    "cli.store.none_of": {"nl": "geen oefening van scenario '{scenario}' in de opslag", "en": "no exercise of scenario '{scenario}' in the store"},
    "cli.store.select": {"nl": "--store vraagt --exercise ID (een of meer) of --scenario ID", "en": "--store needs --exercise ID (one or more) or --scenario ID"},
    "cli.store.needs_url": {"nl": "{command} vraagt --store URL (of TABLETOP_STORE)", "en": "{command} needs --store URL (or TABLETOP_STORE)"},
    "cli.store.exported": {"nl": "{path}: {count} regels", "en": "{path}: {count} lines"},
    "cli.store.imported": {"nl": "oefening: {exercise} ({count} regels)", "en": "exercise: {exercise} ({count} lines)"},
    "cli.store.report_needs": {"nl": "report vraagt LOGBOEK-bestanden (of --store URL --exercise ID)", "en": "report needs LOG files (or --store URL --exercise ID)"},
    "cli.store.needs_log": {"nl": "{command} vraagt een LOGBOEK (of --store URL --exercise ID)", "en": "{command} needs a LOG (or --store URL --exercise ID)"},
    # report
    "cli.report.docx_output": {"nl": "een docx-rapport vraagt -o BESTAND (het is geen tekst voor de terminal)", "en": "a docx report needs -o FILE (it is not text for the terminal)"},
    "cli.report.output_is_log": {"nl": "-o {path}: dat is een van de logboeken; kies een ander bestand", "en": "-o {path}: that is one of the logs; choose another file"},
    "cli.report.cannot_write": {"nl": "{path}: het rapport kan niet worden geschreven: {reason}", "en": "{path}: cannot write the report: {reason}"},
}

CLI: dict[str, dict[str, str]] = {**RUNNING, **HELP, **ARGPARSE}
