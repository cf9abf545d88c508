"""The command line's help (`tabletop --help`, `tabletop COMMAND --help`) and argparse's own
words, merged into the CLI catalogue (`catalog_cli.py`). Keys start with `cli.help.`,
`cli.mv.` (the placeholders in usage lines: `LOGBOEK`, `BESTAND`) and `cli.argparse.`.

Why two kinds of text: help texts are read once, when the parser is built, and argparse
expands `%` in them, so they hold none. argparse's own words are its `%`-formatted
message ids: the English text of each `cli.argparse.*` key is exactly the string
argparse 3.11 asks gettext for, and `tabletop/cli/parsing.py` answers with the Dutch text
(same `%` conversions) while the command line parses in Dutch.
"""

from __future__ import annotations

HELP: dict[str, dict[str, str]] = {
    # tabletop
    "cli.help.description": {"nl": "Tabletopoefeningen over gezagsdilemma's bij militaire dreiging. Zonder opdracht: de app.", "en": "Tabletop exercises on gezagsdilemma's under military threat. Without a command: the app."},
    "cli.help.version": {"nl": "toon het versienummer en stop", "en": "show program's version number and exit"},
    "cli.help.lang": {"nl": "taal van de app (standaard: nl)", "en": "language of the app (default: nl)"},
    # validate, schema, new
    "cli.help.validate": {"nl": "scenario's en rollen controleren; BESTAND:REGEL:KOLOM: melding", "en": "check scenarios and roles; FILE:LINE:COL: message"},
    "cli.help.validate.paths": {"nl": "scenariobestanden, mappen, roles/", "en": "scenario files, folders, roles/"},
    "cli.help.validate.strict": {"nl": "waarschuwingen tellen als fouten", "en": "treat warnings as errors"},
    "cli.help.validate.roles": {"nl": "map met rollen om de scenario's tegen te controleren", "en": "roles folder to check scenarios against"},
    "cli.help.schema": {"nl": "het JSON Schema van het formaat tonen", "en": "print the JSON Schema of the format"},
    "cli.help.new": {"nl": "een startscenario met toelichting schrijven dat door de controle komt", "en": "write a commented starter scenario that validates"},
    "cli.help.new.name": {"nl": "bestandsnaam (NAAM.yaml)", "en": "file name (NAME.yaml)"},
    # run, simulate
    "cli.help.run": {"nl": "zonder app spelen, met vooraf vastgelegde besluiten uit een bestand", "en": "play headless from a scripted decisions file"},
    "cli.help.run.decisions": {"nl": "de vooraf vastgelegde besluiten (YAML)", "en": "scripted decisions (YAML)"},
    "cli.help.run.log": {"nl": "schrijf het logboek van besluiten hierheen", "en": "write the decision log (journal) here"},
    "cli.help.run.auto": {"nl": "rollen die de engine speelt", "en": "roles the engine plays"},
    "cli.help.run.title": {"nl": "titel van de oefening in het logboek", "en": "exercise title in the log"},
    "cli.help.run.roles": {"nl": "map met rollen (standaard: naast de scenario's)", "en": "roles folder (default: beside scenarios)"},
    "cli.help.simulate": {"nl": "reeks oefeningen automatisch spelen: uitkomsten, dilemma's, dekking", "en": "batch autoplay: outcomes, dilemmas, coverage"},
    "cli.help.simulate.json": {"nl": "één JSON-object op stdout", "en": "one JSON object on stdout"},
    # log, verify, resume
    "cli.help.log": {"nl": "de tijdlijn van een logboek van besluiten", "en": "the timeline of a decision log"},
    "cli.help.log.json": {"nl": "de gebeurtenissen als JSON Lines", "en": "the events as JSON Lines"},
    "cli.help.log.anonymise": {"nl": "rollen in plaats van namen", "en": "roles instead of names"},
    "cli.help.scenario_moved": {"nl": "scenariobestand, als het verplaatst is", "en": "scenario file, if it moved"},
    "cli.help.verify": {"nl": "een logboek controleren: hashketen en hersimulatie", "en": "check a log: hash chain and re-simulation"},
    "cli.help.verify.key": {"nl": "aanvaard ook logboeken die met deze sleutel zijn ondertekend (herhaalbaar)", "en": "also accept logs signed by this key (repeatable)"},
    "cli.help.resume": {"nl": "een onderbroken oefening voortzetten", "en": "continue an interrupted exercise"},
    "cli.help.resume.decisions": {"nl": "zonder app verder met deze besluiten", "en": "go on headless with these decisions"},
    "cli.help.resume.force": {"nl": "toch voortzetten hoewel het scenario veranderd is (komt in het logboek)", "en": "continue although the scenario changed (recorded in the log)"},
    # play, replay, screen
    "cli.help.play": {"nl": "een oefening spelen in de app", "en": "run an exercise in the app"},
    "cli.help.play.log": {"nl": "waar het logboek komt", "en": "where to write the log"},
    "cli.help.play.clock": {"nl": "stap voor stap, of versneld: 1 s = N verhaalminuten (loopt vanaf het begin)", "en": "step by step, or compressed: 1 s = N story minutes (runs from the start)"},
    "cli.help.store": {"nl": "postgresql://… : het logboek in een database (of TABLETOP_STORE)", "en": "postgresql://… : the journal in a database (or TABLETOP_STORE)"},
    "cli.help.play.exercise": {"nl": "de id van de nieuwe oefening in de opslag (standaard: een nieuwe, getoond)", "en": "the new exercise's id in the store (default: a fresh one, printed)"},
    "cli.help.replay": {"nl": "een gelogde oefening stap voor stap terugkijken; afsplitsen vanaf een punt", "en": "step through a logged exercise; fork from a point"},
    "cli.help.screen": {"nl": "deelnemersscherm: een lopende oefening volgen", "en": "participant view: follow a running exercise"},
    "cli.help.store_url": {"nl": "postgresql://… (of TABLETOP_STORE)", "en": "postgresql://… (or TABLETOP_STORE)"},
    "cli.help.exercise": {"nl": "de oefening in de opslag", "en": "the exercise in the store"},
    # report
    "cli.help.report": {"nl": "terugkoppeling voor het LOVP uit een of meer logboeken", "en": "terugkoppeling for the LOVP from one or many logs"},
    "cli.help.report.logs": {"nl": "logboeken van besluiten (één per oefening)", "en": "decision logs (one per exercise)"},
    "cli.help.report.format": {"nl": "md (standaard; volgt de extensie van -o als die er is), html of docx", "en": "md (default; from -o's suffix if given), html or docx"},
    "cli.help.report.output": {"nl": "schrijf hierheen in plaats van naar stdout", "en": "write here instead of stdout"},
    "cli.help.report.anonymise": {"nl": "alleen rollen: geen namen van deelnemers of oefenleider", "en": "roles only: no names of participants or facilitator"},
    "cli.help.report.lang": {"nl": "taal van het rapport (standaard: die van het logboek, anders nl)", "en": "language of the report (default: the log's, else nl)"},
    # msel
    "cli.help.msel": {"nl": "het draaiboek (MSEL) in een spreadsheet: exporteren, importeren, injectkaarten", "en": "the MSEL in a spreadsheet: export, import, inject cards"},
    "cli.help.msel.export": {"nl": "een scenario als werkmap (of als CSV-bestanden: de injects, met de besluiten, rollen en het kader ernaast)", "en": "a scenario as a workbook (or CSV files: the injects, and decisions, roles and frame beside them)"},
    "cli.help.msel.scenario": {"nl": "scenariobestand", "en": "scenario file"},
    "cli.help.msel.export.output": {"nl": "BESTAND.xlsx (standaard: de naam van SCENARIO met .xlsx) of BESTAND.csv", "en": "FILE.xlsx (default: SCENARIO's name .xlsx) or FILE.csv"},
    "cli.help.msel.export.lang": {"nl": "taal van de kolomkoppen (standaard: nl)", "en": "language of the headers (default: nl)"},
    "cli.help.msel.import": {"nl": "een scenariobestand uit een MSEL-blad (.xlsx of .csv)", "en": "a scenario file from an MSEL sheet (.xlsx or .csv)"},
    "cli.help.msel.import.sheet": {"nl": "BESTAND.xlsx of BESTAND.csv", "en": "FILE.xlsx or FILE.csv"},
    "cli.help.msel.import.output": {"nl": "het scenariobestand dat geschreven wordt (standaard: de naam van BESTAND met .yaml)", "en": "the scenario file to write (default: FILE's name .yaml)"},
    "cli.help.msel.import.roles": {"nl": "map met rollen (standaard: de meegeleverde rollen)", "en": "roles folder (default: the bundled roles)"},
    "cli.help.msel.import.force": {"nl": "een bestaand SCENARIO overschrijven", "en": "overwrite an existing SCENARIO"},
    "cli.help.msel.import.lang": {"nl": "taal van de meldingen (standaard: nl)", "en": "language of the messages (default: nl)"},
    "cli.help.msel.cards": {"nl": "injectkaarten om af te drukken (HTML), voor een oefening op papier", "en": "printable inject cards (HTML) for a session on paper"},
    "cli.help.msel.cards.output": {"nl": "kaarten.html", "en": "cards.html"},
    "cli.help.msel.cards.lang": {"nl": "taal van de kaarten (standaard: nl)", "en": "language of the cards (default: nl)"},
    # seat, serve, codes
    "cli.help.seat": {"nl": "het eigen scherm van één rol bij een lopende oefening", "en": "one role's own screen on a running exercise"},
    "cli.help.seat.codes": {"nl": "toegangscodes (standaard: LOGBOEK.codes)", "en": "join codes (default: LOG.codes)"},
    "cli.help.seat.role": {"nl": "de plaats: een rol, controller of evaluator", "en": "the seat: a role, controller or evaluator"},
    "cli.help.seat.join": {"nl": "eerst om een toegangscode vragen", "en": "ask for a join code first"},
    "cli.help.serve": {"nl": "de plaatsen in de browser aanbieden (toegangscodes)", "en": "serve the seats in the browser (join codes)"},
    "cli.help.serve.host": {"nl": "adres om op te luisteren (127.0.0.1)", "en": "address to listen on (127.0.0.1)"},
    "cli.help.codes": {"nl": "de toegangscodes van de plaatsen: tonen, --revoke, --renew", "en": "the seats' join codes: show, --revoke, --renew"},
    # stores
    "cli.help.store.exercise": {"nl": "de oefening in de opslag (report: meer dan eens)", "en": "the exercise in the store (report: more than once)"},
    "cli.help.export": {"nl": "een oefening uit een opslag schrijven als JSONL-logboek", "en": "write an exercise of a store as a JSONL log"},
    "cli.help.import": {"nl": "een JSONL-logboek in een opslag zetten (een nieuwe oefening)", "en": "put a JSONL log into a store (a new exercise)"},
    "cli.help.import.exercise": {"nl": "de id (standaard: een nieuwe, getoond)", "en": "its id (default: a fresh one, printed)"},
    # the placeholders in usage lines and errors (`--roles MAP`, `required: PAD`)
    "cli.mv.command": {"nl": "OPDRACHT", "en": "COMMAND"},
    "cli.mv.action": {"nl": "ACTIE", "en": "ACTION"},
    "cli.mv.path": {"nl": "PAD", "en": "PATH"},
    "cli.mv.dir": {"nl": "MAP", "en": "DIR"},
    "cli.mv.name": {"nl": "NAAM", "en": "NAME"},
    "cli.mv.file": {"nl": "BESTAND", "en": "FILE"},
    "cli.mv.log": {"nl": "LOGBOEK", "en": "LOG"},
    "cli.mv.role": {"nl": "ROL", "en": "ROLE"},
    "cli.mv.seat": {"nl": "PLAATS", "en": "SEAT"},
    "cli.mv.fingerprint": {"nl": "VINGERAFDRUK", "en": "FINGERPRINT"},
    "cli.mv.title": {"nl": "TITEL", "en": "TITLE"},
    "cli.mv.runs": {"nl": "AANTAL", "en": "RUNS"},
    "cli.mv.jobs": {"nl": "AANTAL", "en": "JOBS"},
    "cli.mv.host": {"nl": "ADRES", "en": "HOST"},
    "cli.mv.port": {"nl": "POORT", "en": "PORT"},
}

ARGPARSE: dict[str, dict[str, str]] = {
    # what users meet: help and usage errors
    "cli.argparse.usage": {"nl": "gebruik: ", "en": "usage: "},
    "cli.argparse.positionals": {"nl": "positionele argumenten", "en": "positional arguments"},
    "cli.argparse.options": {"nl": "opties", "en": "options"},
    "cli.argparse.help": {"nl": "toon deze hulptekst en stop", "en": "show this help message and exit"},
    "cli.argparse.error": {"nl": "%(prog)s: fout: %(message)s\n", "en": "%(prog)s: error: %(message)s\n"},
    "cli.argparse.argument": {"nl": "argument %(argument_name)s: %(message)s", "en": "argument %(argument_name)s: %(message)s"},
    "cli.argparse.required": {"nl": "deze argumenten ontbreken: %s", "en": "the following arguments are required: %s"},
    "cli.argparse.one_of_required": {"nl": "een van de argumenten %s is nodig", "en": "one of the arguments %s is required"},
    "cli.argparse.unrecognized": {"nl": "onbekende argumenten: %s", "en": "unrecognized arguments: %s"},
    "cli.argparse.invalid_choice": {"nl": "ongeldige keuze: %(value)r (kies uit %(choices)s)", "en": "invalid choice: %(value)r (choose from %(choices)s)"},
    "cli.argparse.invalid_value": {"nl": "ongeldige waarde voor %(type)s: %(value)r", "en": "invalid %(type)s value: %(value)r"},
    "cli.argparse.expected_one": {"nl": "verwacht één argument", "en": "expected one argument"},
    "cli.argparse.expected_at_most_one": {"nl": "verwacht hoogstens één argument", "en": "expected at most one argument"},
    "cli.argparse.expected_at_least_one": {"nl": "verwacht minstens één argument", "en": "expected at least one argument"},
    "cli.argparse.expected_n.one": {"nl": "verwacht %s argument", "en": "expected %s argument"},
    "cli.argparse.expected_n.other": {"nl": "verwacht %s argumenten", "en": "expected %s arguments"},
    "cli.argparse.ambiguous": {"nl": "dubbelzinnige optie: %(option)s kan staan voor %(matches)s", "en": "ambiguous option: %(option)s could match %(matches)s"},
    "cli.argparse.not_allowed_with": {"nl": "niet toegestaan samen met argument %s", "en": "not allowed with argument %s"},
    "cli.argparse.ignored_explicit": {"nl": "expliciet argument %r genegeerd", "en": "ignored explicit argument %r"},
    "cli.argparse.unexpected_option": {"nl": "onverwachte optie: %s", "en": "unexpected option string: %s"},
    "cli.argparse.cannot_open": {"nl": "kan '%(filename)s' niet openen: %(error)s", "en": "can't open '%(filename)s': %(error)s"},
    "cli.argparse.dash_mode": {"nl": "argument \"-\" met modus %r", "en": "argument \"-\" with mode %r"},
    "cli.argparse.unknown_parser": {"nl": "onbekende parser %(parser_name)r (keuzes: %(choices)s)", "en": "unknown parser %(parser_name)r (choices: %(choices)s)"},
    # errors in building a parser (a mistake in tabletop itself), complete for the test
    # that every string argparse asks for has its Dutch
    "cli.argparse.call_not_defined": {"nl": ".__call__() niet gedefinieerd", "en": ".__call__() not defined"},
    "cli.argparse.required_positional": {"nl": "'required' is geen geldig argument voor positionele argumenten", "en": "'required' is an invalid argument for positionals"},
    "cli.argparse.exclusive_optional": {"nl": "argumenten die elkaar uitsluiten moeten optioneel zijn", "en": "mutually exclusive arguments must be optional"},
    "cli.argparse.not_callable": {"nl": "%r is niet aanroepbaar", "en": "%r is not callable"},
    "cli.argparse.merge_groups": {"nl": "acties niet samen te voegen - twee groepen heten %r", "en": "cannot merge actions - two groups are named %r"},
    "cli.argparse.option_prefix": {"nl": "ongeldige optie %(option)r: moet beginnen met een teken uit %(prefix_chars)r", "en": "invalid option string %(option)r: must start with a character %(prefix_chars)r"},
    "cli.argparse.dest_required": {"nl": "dest= is nodig voor opties als %r", "en": "dest= is required for options like %r"},
    "cli.argparse.conflict_resolution": {"nl": "ongeldige waarde voor conflict_resolution: %r", "en": "invalid conflict_resolution value: %r"},
    "cli.argparse.conflicting_option.one": {"nl": "optie komt twee keer voor: %s", "en": "conflicting option string: %s"},
    "cli.argparse.conflicting_option.other": {"nl": "opties komen twee keer voor: %s", "en": "conflicting option strings: %s"},
    "cli.argparse.multiple_subparsers": {"nl": "niet meer dan één argument met subopdrachten", "en": "cannot have multiple subparser arguments"},
    "cli.argparse.conflicting_subparser": {"nl": "subopdracht komt twee keer voor: %s", "en": "conflicting subparser: %s"},
    "cli.argparse.conflicting_alias": {"nl": "alias van subopdracht komt twee keer voor: %s", "en": "conflicting subparser alias: %s"},
}
