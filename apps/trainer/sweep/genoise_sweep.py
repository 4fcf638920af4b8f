#!/usr/bin/env python3
"""genoise sweep: a grid of trainer runs (methods x seeds x options) on Ray, gathered into one table.

    python3 apps/trainer/sweep/genoise_sweep.py --grid grid.json [--out runs/sweep-NAME]
    python3 apps/trainer/sweep/genoise_sweep.py --methods simclr,byol --seeds 0,1 \\
        --set steps=200 --set batch=128 --sweep lr=0.001,0.003

Each run is one `genoise train <method>` process (apps/trainer/dist/cli.js) in its own folder
OUT/<run name>, launched as a Ray task with one CPU (--gpus-per-run for a GPU). `ray.init()` starts
a local Ray by default (--num-cpus caps its workers); --address joins a cluster (every node needs
this repository, built, at the same path, or --trainer pointing at one).

Running the same sweep again continues it: a run with report.json is finished and skipped, a run
with a checkpoint is resumed from it (--resume), any other run starts afresh. Ray also retries a
run whose worker died (--max-retries, default 1), and the retry resumes from the checkpoint too.

At the end every run's report.json is gathered into OUT/table.txt (also printed), OUT/table.json
and OUT/sweep.html (the comparison: mean and spread over seeds, every run, links to run reports).

The grid file (JSON):
    {
      "name": "methods-by-seeds",           // the default OUT is runs/sweep-<name>
      "methods": ["simclr", "byol"],
      "seeds": [0, 1],
      "flags": {"steps": 200, "batch": 128, "data": "fashion-mnist"},   // every run
      "sweep": {"lr": [0.001, 0.003]},      // swept flags: the cartesian product
      "config": {"checkpointEvery": 50}     // training-config overrides (a --config file per run)
    }
Flags are the trainer's long options without the dashes (true adds a bare flag, false omits it).

Ray comes from pip: when `import ray` fails, the script creates a virtualenv in ~/.cache/genoise/py
(or $GENOISE_PY_VENV), installs ray there (pip's configured index or wheel store) and runs itself
again there; --no-install turns that off.
"""
import argparse
import datetime
import html
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import time

REPO = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", ".."))
DEFAULT_TRAINER = os.path.join(REPO, "apps", "trainer", "dist", "cli.js")
RAY_PACKAGE = "ray>=2.9"


# --- the trainer's command line: the only place that names its flags --------------------------------

def trainer_command(node, trainer, run, resume):
    """`node cli.js train <method> --seed S --out DIR [flags] [--config FILE] [--resume] --quiet`."""
    command = [node, trainer, "train", run["method"], "--seed", str(run["seed"]), "--out", run["dir"]]
    for flag, value in run["flags"].items():
        if value is True:
            command.append(f"--{flag}")
        elif value is not False and value is not None:
            command += [f"--{flag}", str(value)]
    if run.get("config"):
        command += ["--config", os.path.join(run["dir"], "sweep-config.json")]
    if resume:
        command.append("--resume")
    if "quiet" not in run["flags"]:
        command.append("--quiet")
    return command


# --- run folders -------------------------------------------------------------------------------------

def checkpoint_step(run_dir):
    """The step of the run's checkpoint (checkpoint/, or checkpoint.old/ after an interrupted save), or None."""
    for name in ("checkpoint", "checkpoint.old"):
        try:
            with open(os.path.join(run_dir, name, "state.json"), encoding="utf-8") as f:
                return int(json.load(f).get("step", 0))
        except (OSError, ValueError):
            continue
    return None


def read_report(run_dir):
    try:
        with open(os.path.join(run_dir, "report.json"), encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def run_state(run_dir):
    """'finished' (report.json), 'resumable' (a checkpoint) or 'new'."""
    if read_report(run_dir) is not None:
        return "finished"
    if checkpoint_step(run_dir) is not None:
        return "resumable"
    return "new"


def _die_with_parent():
    """In the trainer process: receive SIGKILL when the Ray worker that started it dies (Linux)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def run_environment(run):
    """The trainer's environment: this one, plus the run's name and, unless set, TensorFlow's thread
    pools sized to the CPUs Ray gave the run (tfjs-node would otherwise use every core in every run)."""
    threads = str(max(1, int(run.get("cpus", 1))))
    env = {"TF_NUM_INTRAOP_THREADS": threads, "TF_NUM_INTEROP_THREADS": threads, **os.environ}
    env["GENOISE_SWEEP_RUN"] = run["name"]
    return env


def execute_run(run, node, trainer):
    """Runs one trainer process to its end (in a Ray worker); returns what happened."""
    os.makedirs(run["dir"], exist_ok=True)
    state = run_state(run["dir"])
    if state == "finished":
        return {"name": run["name"], "status": "finished", "skipped": True}
    if run.get("config"):
        with open(os.path.join(run["dir"], "sweep-config.json"), "w", encoding="utf-8") as f:
            json.dump(run["config"], f, indent=2)
    resume_from = checkpoint_step(run["dir"]) if state == "resumable" else None
    logs = os.path.join(run["dir"], "sweep-logs")
    os.makedirs(logs, exist_ok=True)
    attempt = len([n for n in os.listdir(logs) if n.startswith("attempt-")]) + 1
    log_path = os.path.join(logs, f"attempt-{attempt}.log")
    command = trainer_command(node, trainer, run, resume_from is not None)
    started = time.time()
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(f"# {datetime.datetime.now(datetime.timezone.utc).isoformat()} host {os.uname().nodename}\n")
        log.write(f"# {'resume from step ' + str(resume_from) if resume_from is not None else 'fresh start'}\n")
        log.write(f"# {' '.join(command)}\n")
        log.flush()
        process = subprocess.Popen(
            command,
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=run_environment(run),
            preexec_fn=_die_with_parent if sys.platform.startswith("linux") else None,
        )
        code = process.wait()
    report = read_report(run["dir"])
    return {
        "name": run["name"],
        "status": "finished" if code == 0 and report is not None else "failed",
        "returncode": code,
        "resumedFrom": resume_from,
        "attempt": attempt,
        "seconds": round(time.time() - started, 1),
        "log": log_path,
        "skipped": False,
    }


# --- the grid ----------------------------------------------------------------------------------------

def parse_value(text):
    try:
        return json.loads(text)
    except ValueError:
        return text


def run_name(method, seed, swept):
    parts = [method, f"s{seed}"] + [f"{k}{v}" for k, v in swept.items()]
    return "-".join(str(p).replace("/", "_").replace(" ", "") for p in parts)


def expand_grid(grid, out):
    """The runs of a grid: one per (method, seed, swept values), each with flags, config and folder."""
    methods, seeds = grid.get("methods") or [], grid.get("seeds") or [0]
    if not methods:
        raise SystemExit("genoise sweep: the grid names no methods")
    sweep = grid.get("sweep") or {}
    keys = list(sweep)
    runs = []
    for method, seed, values in itertools.product(methods, seeds, itertools.product(*(sweep[k] for k in keys))):
        swept = dict(zip(keys, values))
        name = run_name(method, seed, swept)
        runs.append(
            {
                "name": name,
                "method": method,
                "seed": seed,
                "swept": swept,
                "flags": {**(grid.get("flags") or {}), **swept},
                "config": grid.get("config") or {},
                "dir": os.path.join(out, name),
            }
        )
    if len({r["name"] for r in runs}) != len(runs):
        raise SystemExit("genoise sweep: two runs of the grid have the same name")
    return runs


def grid_from_args(args):
    grid = {}
    if args.grid:
        with open(args.grid, encoding="utf-8") as f:
            grid = json.load(f)
    if args.methods:
        grid["methods"] = args.methods.split(",")
    if args.seeds:
        grid["seeds"] = [int(s) for s in args.seeds.split(",")]
    for item in args.set or []:
        key, _, value = item.partition("=")
        grid.setdefault("flags", {})[key] = parse_value(value) if value else True
    for item in args.sweep or []:
        key, _, values = item.partition("=")
        grid.setdefault("sweep", {})[key] = [parse_value(v) for v in values.split(",")]
    for item in args.config_set or []:
        key, _, value = item.partition("=")
        grid.setdefault("config", {})[key] = parse_value(value)
    if args.name:
        grid["name"] = args.name
    return grid


# --- the table and the comparison page ---------------------------------------------------------------

METRICS = [("knnTop1", "kNN top-1"), ("linearTop1", "linear top-1")]


def gather(runs):
    """One row per (run, representation) of every finished run's report.json."""
    rows = []
    for run in runs:
        report = read_report(run["dir"])
        if report is None:
            continue
        for i, row in enumerate(report.get("rows", [])):
            rows.append(
                {
                    "run": run["name"],
                    "method": run["method"],
                    "seed": run["seed"],
                    "swept": run["swept"],
                    "representation": row.get("name", ""),
                    "kind": "pretrained" if i == 0 else row.get("name", ""),
                    "steps": report.get("steps"),
                    "trainSeconds": report.get("seconds"),
                    "backend": report.get("backend"),
                    **{key: row.get(key) for key, _ in METRICS},
                }
            )
    return rows


def group_key(row):
    return (row["method"], json.dumps(row["swept"], sort_keys=True), row["kind"])


def summarise(rows):
    """Mean and standard deviation over seeds per (method, swept options, representation)."""
    groups = {}
    for row in rows:
        groups.setdefault(group_key(row), []).append(row)
    summary = []
    for (method, swept, kind), members in groups.items():
        entry = {"method": method, "swept": json.loads(swept), "representation": kind, "seeds": len(members)}
        for key, _ in METRICS:
            values = [m[key] for m in members if isinstance(m.get(key), (int, float))]
            if values:
                entry[key] = statistics.fmean(values)
                entry[key + "Std"] = statistics.stdev(values) if len(values) > 1 else 0.0
        summary.append(entry)
    order = {"pretrained": 0}
    summary.sort(key=lambda e: (order.get(e["representation"], 1), e["representation"], e["method"], json.dumps(e["swept"])))
    return summary


def pct(value, std=None):
    """`53.1%`, or `53.1 ± 2.0` with a spread (none is shown for a single seed)."""
    if not isinstance(value, (int, float)):
        return "-"
    return f"{100 * value:.1f}%" if std is None else f"{100 * value:.1f} ± {100 * std:.1f}"


def mean_text(entry, key):
    return pct(entry.get(key), entry.get(key + "Std") if entry["seeds"] > 1 else None)


def format_columns(header, lines):
    widths = [max(len(str(x)) for x in column) for column in zip(header, *lines)]
    out = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths)), "  ".join("-" * w for w in widths)]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(line, widths)) for line in lines]
    return "\n".join(out)


def swept_text(swept):
    return " ".join(f"{k}={v}" for k, v in swept.items()) or "-"


def format_table(rows, summary, title):
    per_run = format_columns(
        ["run", "method", "seed", "options", "representation", "steps", "kNN top-1", "linear top-1"],
        [
            [r["run"], r["method"], r["seed"], swept_text(r["swept"]), r["representation"], r["steps"], pct(r["knnTop1"]), pct(r["linearTop1"])]
            for r in rows
        ],
    )
    means = format_columns(
        ["method", "options", "representation", "seeds", "kNN top-1 (mean ± sd)", "linear top-1 (mean ± sd)"],
        [
            [s["method"], swept_text(s["swept"]), s["representation"], s["seeds"], mean_text(s, "knnTop1"), mean_text(s, "linearTop1")]
            for s in summary
        ],
    )
    return f"{title}\n\n{means}\n\nevery run:\n{per_run}\n"


def bar_chart_svg(summary, key, label):
    """Horizontal bars of the pretrained mean per (method, options), with the seed spread as a line."""
    entries = [s for s in summary if s["representation"] == "pretrained" and key in s]
    if not entries:
        return ""
    row_h, left, width = 26, 220, 360
    height = row_h * len(entries) + 40
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 80}" height="{height}" font-family="sans-serif" font-size="12">']
    parts.append(f'<text x="{left}" y="16" font-weight="bold">{html.escape(label)} (pretrained, mean ± sd over seeds)</text>')
    for i, e in enumerate(entries):
        y = 28 + i * row_h
        mean, std = e[key], e.get(key + "Std", 0.0)
        name = html.escape(f"{e['method']} {swept_text(e['swept'])}".replace(" -", ""))
        parts.append(f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{name}</text>')
        parts.append(f'<rect x="{left}" y="{y + 2}" width="{width * mean:.1f}" height="{row_h - 8}" fill="#4c78a8"/>')
        lo, hi = max(0.0, mean - std), min(1.0, mean + std)
        parts.append(f'<line x1="{left + width * lo:.1f}" x2="{left + width * hi:.1f}" y1="{y + row_h / 2 - 1}" y2="{y + row_h / 2 - 1}" stroke="#222" stroke-width="2"/>')
        parts.append(f'<text x="{left + width * mean + 6:.1f}" y="{y + 14}">{100 * mean:.1f}%</text>')
    parts.append("</svg>")
    return "".join(parts)


def comparison_html(rows, summary, title, notes):
    def table(header, lines):
        head = "".join(f"<th>{html.escape(str(h))}</th>" for h in header)
        body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in line) + "</tr>" for line in lines)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    means = table(
        ["method", "options", "representation", "seeds", "kNN top-1", "linear top-1"],
        [
            [html.escape(s["method"]), html.escape(swept_text(s["swept"])), html.escape(s["representation"]), s["seeds"], mean_text(s, "knnTop1"), mean_text(s, "linearTop1")]
            for s in summary
        ],
    )
    runs = table(
        ["run", "representation", "steps", "train s", "backend", "kNN top-1", "linear top-1"],
        [
            [f'<a href="{html.escape(r["run"])}/report.html">{html.escape(r["run"])}</a>', html.escape(r["representation"]), r["steps"], f'{r["trainSeconds"]:.0f}' if isinstance(r["trainSeconds"], (int, float)) else "-", html.escape(str(r["backend"])), pct(r["knnTop1"]), pct(r["linearTop1"])]
            for r in rows
        ],
    )
    charts = "".join(bar_chart_svg(summary, key, label) for key, label in METRICS)
    note_items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:2em;max-width:1100px}}table{{border-collapse:collapse;margin:1em 0}}
td,th{{border:1px solid #ccc;padding:4px 8px;text-align:left}}th{{background:#f3f3f3}}svg{{display:block;margin:1em 0}}</style>
</head><body><h1>{html.escape(title)}</h1><ul>{note_items}</ul>
<h2>Mean over seeds</h2>{charts}{means}<h2>Every run</h2>{runs}</body></html>
"""


def write_outputs(out, runs, title, notes):
    rows = gather(runs)
    summary = summarise(rows)
    text = format_table(rows, summary, title)
    with open(os.path.join(out, "table.txt"), "w", encoding="utf-8") as f:
        f.write(text)
    with open(os.path.join(out, "table.json"), "w", encoding="utf-8") as f:
        json.dump({"title": title, "summary": summary, "rows": rows}, f, indent=2)
    with open(os.path.join(out, "sweep.html"), "w", encoding="utf-8") as f:
        f.write(comparison_html(rows, summary, title, notes))
    return text


# --- Ray ---------------------------------------------------------------------------------------------

def venv_dir():
    return os.environ.get("GENOISE_PY_VENV") or os.path.join(os.path.expanduser("~"), ".cache", "genoise", "py")


def ensure_ray(allow_install):
    try:
        import ray  # noqa: F401

        return
    except ImportError as error:
        missing = error
    python = os.path.join(venv_dir(), "bin", "python")
    if not allow_install or os.path.realpath(sys.executable) == os.path.realpath(python):
        raise SystemExit(f"genoise sweep: ray is not importable ({missing}); pip install '{RAY_PACKAGE}'")
    if not os.path.exists(python):
        print(f"genoise sweep: creating a virtualenv in {venv_dir()}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", venv_dir()], check=True)
    print(f"genoise sweep: pip install {RAY_PACKAGE} into {venv_dir()}", file=sys.stderr)
    subprocess.run([python, "-m", "pip", "install", "--quiet", RAY_PACKAGE], check=True)
    os.execv(python, [python, os.path.abspath(__file__), *sys.argv[1:]])


def run_on_ray(runs, args, node, trainer, log):
    import ray

    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    init = {"address": args.address} if args.address else {"num_cpus": args.num_cpus, "include_dashboard": False}
    ray.init(**{k: v for k, v in init.items() if v is not None}, logging_level="WARNING", log_to_driver=False)
    resources = ray.cluster_resources()
    log(f"ray: {'cluster ' + args.address if args.address else 'local'}, {resources.get('CPU', 0):g} CPUs, {resources.get('GPU', 0):g} GPUs")
    task = ray.remote(execute_run).options(
        num_cpus=args.cpus_per_run, num_gpus=args.gpus_per_run, max_retries=args.max_retries, retry_exceptions=False
    )
    pending = {task.remote({**run, "cpus": args.cpus_per_run}, node, trainer): run for run in runs}
    results = []
    while pending:
        done, _ = ray.wait(list(pending), num_returns=1)
        run = pending.pop(done[0])
        try:
            result = ray.get(done[0])
        except Exception as error:  # noqa: BLE001 - a dead worker or node is a failed run, resumable
            result = {"name": run["name"], "status": "failed", "error": f"{type(error).__name__}: {str(error).splitlines()[0]}", "skipped": False}
        results.append(result)
        log(describe(result, run))
    ray.shutdown()
    return results


def describe(result, run):
    if result.get("skipped"):
        return f"  {run['name']}: finished earlier, skipped"
    if result["status"] == "finished":
        how = f"resumed from step {result['resumedFrom']}" if result.get("resumedFrom") is not None else "from scratch"
        return f"  {run['name']}: finished in {result['seconds']:.0f} s ({how}, attempt {result['attempt']})"
    step = checkpoint_step(run["dir"])
    where = f"checkpoint at step {step}" if step is not None else "no checkpoint yet"
    why = result.get("error") or f"exit code {result.get('returncode')}, see {result.get('log')}"
    return f"  {run['name']}: FAILED ({why}); {where}: run the sweep again to continue it"


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], epilog="See the module docstring for the grid format.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--grid", help="grid JSON file (methods, seeds, flags, sweep, config, name)")
    parser.add_argument("--methods", help="comma-separated methods (overrides the grid's)")
    parser.add_argument("--seeds", help="comma-separated seeds (overrides the grid's)")
    parser.add_argument("--set", action="append", metavar="FLAG=VALUE", help="a trainer flag for every run")
    parser.add_argument("--sweep", action="append", metavar="FLAG=V1,V2", help="a trainer flag to sweep")
    parser.add_argument("--config-set", action="append", metavar="KEY=VALUE", help="a training-config override (JSON value)")
    parser.add_argument("--name", help="sweep name (default: the grid's, else the methods)")
    parser.add_argument("--out", help="sweep folder (default runs/sweep-<name>)")
    parser.add_argument("--address", help="a Ray cluster address (default: start a local Ray)")
    parser.add_argument("--num-cpus", type=int, help="CPUs of the local Ray (default: all)")
    parser.add_argument("--cpus-per-run", type=float, default=1)
    parser.add_argument("--gpus-per-run", type=float, default=0)
    parser.add_argument("--max-retries", type=int, default=1, help="Ray retries of a run whose worker died (default 1)")
    parser.add_argument("--trainer", default=os.environ.get("GENOISE_TRAINER", DEFAULT_TRAINER), help="the trainer's cli.js")
    parser.add_argument("--node", default=os.environ.get("GENOISE_NODE", "node"), help="the node executable")
    parser.add_argument("--dry-run", action="store_true", help="print the runs and their commands, run nothing")
    parser.add_argument("--no-install", action="store_true", help="never create a virtualenv for ray")
    args = parser.parse_args(argv)

    grid = grid_from_args(args)
    name = grid.get("name") or "-".join(grid.get("methods") or ["sweep"])
    out = os.path.abspath(args.out or os.path.join("runs", f"sweep-{name}"))
    runs = expand_grid(grid, out)
    os.makedirs(out, exist_ok=True)
    log = lambda line: print(line, flush=True)  # noqa: E731

    states = {run["name"]: run_state(run["dir"]) for run in runs}
    log(f"genoise sweep '{name}': {len(runs)} runs in {out}")
    for run in runs:
        step = checkpoint_step(run["dir"])
        note = {"finished": "finished (skipped)", "resumable": f"resume from step {step}", "new": "new"}[states[run["name"]]]
        log(f"  {run['name']}: {note}")
    if args.dry_run:
        for run in runs:
            log("  $ " + " ".join(trainer_command(args.node, args.trainer, run, states[run["name"]] == "resumable")))
        return 0
    if not os.path.exists(args.trainer):
        raise SystemExit(f"genoise sweep: no trainer at {args.trainer}: pnpm --filter @genoise/trainer... build (or --trainer)")
    with open(os.path.join(out, "grid.json"), "w", encoding="utf-8") as f:
        json.dump({**grid, "name": name}, f, indent=2)

    started = time.time()
    todo = [run for run in runs if states[run["name"]] != "finished"]
    results = []
    if todo:
        ensure_ray(not args.no_install)
        results = run_on_ray(todo, args, args.node, args.trainer, log)
    wall = time.time() - started
    failed = [r for r in results if r["status"] != "finished"]
    finished = sum(1 for run in runs if read_report(run["dir"]) is not None)
    notes = [
        f"{finished} of {len(runs)} runs finished; this invocation ran {len(todo)} in {wall:.0f} s wall time.",
        "Probes (kNN, linear) as each run's report.json records them; every run's own report is linked below.",
    ]
    text = write_outputs(out, runs, f"genoise sweep '{name}': {finished}/{len(runs)} runs", notes)
    log("")
    log(text)
    with open(os.path.join(out, "sweep-state.json"), "w", encoding="utf-8") as f:
        json.dump({"wallSeconds": round(wall, 1), "results": results, "finished": finished, "runs": len(runs)}, f, indent=2)
    log(f"table: {os.path.join(out, 'table.txt')}  comparison: {os.path.join(out, 'sweep.html')}  wall time {wall:.0f} s")
    if failed:
        log(f"{len(failed)} run(s) did not finish: run the same command again to resume them from their checkpoints")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
