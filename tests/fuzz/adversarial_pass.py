"""A small adversarial pass (not part of the suite): mutated scenarios through validate and
simulate, damaged and forged logs through verify, log, report and resume.

    uv run python tests/fuzz/adversarial_pass.py [SCENARIOS] [LOGS]

Counts tracebacks (any exception out of `main`), hangs (over 10 s) and undetected
forgeries (a changed signed log that `verify` passes as signed by this installation).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import shutil
import signal
import sys
import tempfile
import traceback
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).parent))

from test_fuzz_inputs import PAYLOADS, mutate_bytes, mutate_text  # noqa: E402

from tabletop.cli import main  # noqa: E402


class Hang(Exception):
    pass


def _alarm(signum: int, frame: Any) -> None:
    raise Hang


def run(args: list[str]) -> tuple[str, int, str]:
    """('ok'|'traceback'|'hang', exit code, output)."""
    out_b, err_b = io.BytesIO(), io.BytesIO()
    out = io.TextIOWrapper(out_b, encoding="utf-8", errors="backslashreplace")
    err = io.TextIOWrapper(err_b, encoding="utf-8", errors="backslashreplace")

    def text() -> str:
        out.flush()
        err.flush()
        return (out_b.getvalue() + err_b.getvalue()).decode("utf-8", "replace")

    signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(10)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(args)
        return "ok", code, text()
    except Hang:
        return "hang", -1, ""
    except SystemExit as exc:
        return "ok", int(exc.code or 0), text()
    except Exception:  # noqa: BLE001
        return "traceback", -1, traceback.format_exc()
    finally:
        signal.alarm(0)


def scenarios(n: int, rng: random.Random, folder: Path) -> dict[str, int]:
    seeds = [ROOT / "scenarios" / "voorbeeld.yaml", ROOT / "tests/data/journal/oefening.yaml"]
    shutil.copytree(ROOT / "scenarios" / "materiaal", folder / "materiaal")
    counts = {"mutants": 0, "valid": 0, "tracebacks": 0, "hangs": 0}
    for i in range(n):
        seed = seeds[i % 2]
        muts = [(rng.choice(["insert", "delete", "replace", "flip"]), rng.randrange(10**6),
                 rng.randrange(40), rng.choice(PAYLOADS)) for _ in range(rng.randint(1, 5))]
        path = folder / f"m{i}.yaml"
        if i % 4 < 2:  # structured: a hostile value at a random place of a well-formed file
            path.write_text(_structured(seed, rng), encoding="utf-8")
        else:
            path.write_bytes(mutate_text(seed.read_text(encoding="utf-8"), muts)
                             .encode("utf-8", "surrogatepass"))
        counts["mutants"] += 1
        roles = ["--roles", str(ROOT / "roles")]
        kind, code, text = run(["validate", *roles, str(path)])
        if kind == "ok" and code == 0:
            counts["valid"] += 1
            kind, code, text = run(["simulate", str(path), "--runs", "3", "--json", *roles])
        if kind == "traceback":
            counts["tracebacks"] += 1
            print(f"TRACEBACK {path}\n{text[-800:]}")
        elif kind == "hang":
            counts["hangs"] += 1
            print(f"HANG {path}")
    return counts


HOSTILE_VALUES: list[Any] = [
    "999999999m", "100000000000000000m", 10**17, -1, "1m", "0m", '"a" * 99999999999',
    '"%999999999d" % 1 == ""', "t >= 1", "t >= 100000", " and ".join(["t > 1"] * 60),
    "../x.md", "/etc/passwd", "\x1b]52;c;aGk=\x07", "x" * 100_000, [], {}, None, True,
    [[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]], 1e308, float("nan"),
]


def _structured(seed: Path, rng: random.Random) -> str:
    import yaml

    from tabletop.model.yamlsafe import load_yaml

    def plain(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value

    data = plain(load_yaml(seed.read_bytes(), seed.name)[0])
    for _ in range(rng.randint(1, 3)):
        node: Any = data
        path: list[Any] = []
        while isinstance(node, (dict, list)) and node and (not path or rng.random() < 0.7):
            key = rng.choice(list(node)) if isinstance(node, dict) else rng.randrange(len(node))
            path.append(key)
            parent, node = node, node[key]
        if path:
            parent[path[-1]] = rng.choice(HOSTILE_VALUES)
    if rng.random() < 0.3:
        data["rules"] = [{"every": "1m", "effects": [{"add": {"x": 1}}]}] * 5
        data.setdefault("state", {})["x"] = {"label": "X", "initial": 0}
    if rng.random() < 0.3:
        data["end"] = rng.choice(["90d", "89d23h", "999999999m", "36h"])
    return str(yaml.safe_dump(data, allow_unicode=True))


def _rechain(lines: list[bytes]) -> list[bytes]:
    out = [lines[0]]
    for raw in lines[1:]:
        obj = json.loads(raw)
        obj["prev"] = hashlib.sha256(out[-1]).hexdigest()
        out.append(json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode())
    return out


def damaged_logs(n: int, rng: random.Random, folder: Path) -> dict[str, int]:
    scenario = folder / "oefening.yaml"
    shutil.copy(ROOT / "tests/data/journal/oefening.yaml", scenario)
    decisions = ROOT / "tests/data/journal/oefening.decisions.yaml"
    reference = folder / "reference.jsonl"
    assert run(["run", str(scenario), "--decisions", str(decisions), "--log",
                str(reference)])[1] == 0
    good = reference.read_bytes()
    lines = good.splitlines()
    counts = {"logs": 0, "forged": 0, "undetected_forgeries": 0, "tracebacks": 0, "hangs": 0,
              "downgraded_verified_unsigned": 0}
    kinds = ["flip", "truncate", "delete_line", "duplicate_line", "forge_text", "forge_header",
             "strip_signatures", "mutate", "nested", "swap"]
    for i in range(n):
        kind = kinds[i % len(kinds)]
        forged = kind in ("forge_text", "forge_header", "swap", "delete_line")
        ls = list(lines)
        if kind == "flip":
            data = mutate_bytes(good, [("flip", rng.randrange(len(good)), rng.randrange(8), "")])
        elif kind == "truncate":
            data = good[:rng.randrange(1, len(good))]
        elif kind == "delete_line":
            del ls[rng.randrange(1, len(ls))]
            data = b"\n".join(_rechain(ls)) + b"\n"
        elif kind == "duplicate_line":
            at = rng.randrange(1, len(ls))
            ls.insert(at, ls[at])
            data = b"\n".join(ls) + b"\n"
        elif kind == "forge_text":
            at = next(j for j, raw in enumerate(ls) if b'"text":"' in raw or b'"rationale":"' in
                      raw and j >= rng.randrange(1, len(ls) // 2))
            ls[at] = ls[at].replace(b'"text":"', b'"text":"X', 1).replace(
                b'"rationale":"', b'"rationale":"X', 1)
            data = b"\n".join(_rechain(ls)) + b"\n"
        elif kind == "forge_header":
            header = json.loads(ls[0])
            header[rng.choice(["title", "facilitator", "region", "created"])] = "vervalst"
            ls[0] = json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()
            data = b"\n".join(_rechain(ls)) + b"\n"
        elif kind == "strip_signatures":
            header = json.loads(ls[0])
            header.pop("signer")
            ls = [json.dumps(header, ensure_ascii=False, separators=(",", ":")).encode()] + [
                raw for raw in ls[1:] if b'"type":"checkpoint"' not in raw]
            ls = [json.dumps({**json.loads(raw), "seq": j}, ensure_ascii=False,
                             separators=(",", ":")).encode() for j, raw in enumerate(ls)]
            data = b"\n".join(_rechain(ls)) + b"\n"
        elif kind == "mutate":
            data = mutate_bytes(good, [(rng.choice(["insert", "delete", "replace"]),
                                        rng.randrange(len(good)), rng.randrange(20),
                                        rng.choice(PAYLOADS)) for _ in range(3)])
        elif kind == "nested":
            at = rng.randrange(1, len(ls))
            ls[at] = ls[at][:-1] + b',"x":' + b"[" * 50000 + b"]" * 50000 + b"}"
            data = b"\n".join(ls) + b"\n"
        else:  # swap two lines and rechain
            a, b = sorted(rng.sample(range(1, len(ls)), 2))
            ls[a], ls[b] = ls[b], ls[a]
            data = b"\n".join(_rechain(ls)) + b"\n"
        log = folder / f"d{i}.jsonl"
        log.write_bytes(data)
        counts["logs"] += 1
        changed = data.splitlines() != lines
        for args in (["verify", str(log), "--scenario", str(scenario)],
                     ["log", str(log)], ["log", str(log), "--json"],
                     ["report", str(log), "--scenario", str(scenario)],
                     ["resume", str(log), "--scenario", str(scenario), "--decisions",
                      str(decisions)]):
            probe = folder / f"p{i}.jsonl"
            if args[0] == "resume":  # on a copy: resume may write
                probe.write_bytes(data)
                args[1] = str(probe)
            kind_run, code, text = run(args)
            if kind_run == "traceback":
                counts["tracebacks"] += 1
                print(f"TRACEBACK {kind} {args[0]}\n{text[-800:]}")
            elif kind_run == "hang":
                counts["hangs"] += 1
                print(f"HANG {kind} {args[0]}")
            if args[0] == "verify" and changed and code == 0:
                if kind == "strip_signatures" and "not signed" in text:
                    counts["downgraded_verified_unsigned"] += 1
                elif forged or "signed by" in text:
                    counts["undetected_forgeries"] += 1
                    print(f"UNDETECTED {kind}: {text[:300]}")
        counts["forged"] += forged or kind == "strip_signatures"
    return counts


if __name__ == "__main__":
    n_scen = int(sys.argv[1]) if len(sys.argv) > 1 else 300
    n_logs = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    rng = random.Random(15)
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TABLETOP_KEY_DIR"] = str(Path(tmp) / "key")
        os.environ["TABLETOP_LOG_DIR"] = str(Path(tmp) / "logs")
        (Path(tmp) / "s").mkdir()
        (Path(tmp) / "l").mkdir()
        print("scenarios:", scenarios(n_scen, rng, Path(tmp) / "s"))
        print("logs:", damaged_logs(n_logs, rng, Path(tmp) / "l"))
